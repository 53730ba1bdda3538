package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// HTTPLoad describes an HTTP ingestion load.
type HTTPLoad struct {
	Server      string // base URL
	Key         string
	Duration    time.Duration
	Concurrency int
	BatchRows   int
	// Mix is the share of SecurityEvent, Syslog and CommonSecurityLog batches, in percent.
	Mix [3]int
}

// Result summarises a load run.
type Result struct {
	Events     int64
	Requests   int64
	Retries    int64 // 503 answers (backpressure)
	Errors     int64
	Elapsed    time.Duration
	P50, P99   time.Duration // acknowledgement latency per request
	PerTable   map[string]int64
	InputBytes int64
}

// EventsPerSec is the sustained rate of acknowledged events.
func (r Result) EventsPerSec() float64 { return float64(r.Events) / r.Elapsed.Seconds() }

type body struct {
	table string
	data  []byte
	rows  int
}

// makeBodies pre-encodes request bodies so the load generator spends its CPU on sending,
// not on formatting (it shares the machine with the server).
func makeBodies(batchRows int, mix [3]int) []body {
	g := NewGen(1)
	now := time.Now()
	var out []body
	for i := 0; i < 100; i++ {
		kind := 0
		switch p := i % 100; {
		case p < mix[0]:
			kind = 0
		case p < mix[0]+mix[1]:
			kind = 1
		default:
			kind = 2
		}
		var b []byte
		for r := 0; r < batchRows; r++ {
			ts := now.Add(-time.Duration(g.r.IntN(3600)) * time.Second)
			switch kind {
			case 0:
				b = g.SecurityEvent(b, ts)
			case 1:
				b = g.Syslog(b, ts)
			default:
				b = g.CEF(b, ts)
			}
		}
		out = append(out, body{table: []string{"SecurityEvent", "Syslog", "CommonSecurityLog"}[kind], data: b, rows: batchRows})
	}
	return out
}

// RunHTTP sends NDJSON batches from Concurrency workers for Duration and measures
// acknowledged events and their latency.
func RunHTTP(ctx context.Context, l HTTPLoad) (Result, error) {
	bodies := makeBodies(l.BatchRows, l.Mix)
	tr := &http.Transport{MaxIdleConnsPerHost: l.Concurrency, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var res Result
	res.PerTable = map[string]int64{}
	var mu sync.Mutex
	var lat []time.Duration
	var events, reqs, retries, errs, inBytes atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < l.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var local []time.Duration
			perTable := map[string]int64{}
			for i := w; ctx.Err() == nil; i += l.Concurrency {
				b := bodies[i%len(bodies)]
				req, _ := http.NewRequestWithContext(ctx, "POST", l.Server+"/api/v1/ingest/"+b.table, bytes.NewReader(b.data))
				req.Header.Set("Authorization", "Bearer "+l.Key)
				req.Header.Set("Content-Type", "application/x-ndjson")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				reqs.Add(1)
				switch resp.StatusCode {
				case 200:
					local = append(local, time.Since(t0))
					events.Add(int64(b.rows))
					inBytes.Add(int64(len(b.data)))
					perTable[b.table] += int64(b.rows)
				case 503, 429:
					retries.Add(1)
					wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
					time.Sleep(time.Duration(max(wait, 0))*time.Second/10 + 20*time.Millisecond)
				default:
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			for k, v := range perTable {
				res.PerTable[k] += v
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Events, res.Requests, res.Retries, res.Errors, res.InputBytes = events.Load(), reqs.Load(), retries.Load(), errs.Load(), inBytes.Load()
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	if res.Events == 0 {
		return res, fmt.Errorf("no batch was acknowledged (%d errors)", res.Errors)
	}
	return res, nil
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// RunSyslogTCP streams newline-framed syslog (RFC 5424, and CEF in RFC 3164) over conns
// TCP connections for duration and returns how many messages were written.
func RunSyslogTCP(ctx context.Context, addr string, conns int, duration time.Duration) (int64, time.Duration, error) {
	g := NewGen(2)
	var buf []byte
	lines := 0
	for lines < 20000 {
		buf = g.SyslogLine(buf, time.Now())
		lines++
	}
	var sent atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				once.Do(func() { firstErr = err })
				return
			}
			defer conn.Close()
			for ctx.Err() == nil {
				conn.SetWriteDeadline(time.Now().Add(time.Second))
				if _, err := conn.Write(buf); err != nil {
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						continue
					}
					once.Do(func() { firstErr = err })
					return
				}
				sent.Add(int64(lines))
			}
		}()
	}
	wg.Wait()
	return sent.Load(), time.Since(start), firstErr
}
