package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rampart-soc/rampart/internal/client"
)

// ProbeRuleID is the Sigma rule the detection benchmark's probes fire.
const ProbeRuleID = "c0ffee00-5a1e-4b0b-9e57-0000000000a1"

// ProbeRule matches the probe events only.
const ProbeRule = `title: Rampart latency probe
id: ` + ProbeRuleID + `
level: low
logsource: {category: process_creation, product: windows}
detection:
  sel: {CommandLine|contains: 'rampart-latency-probe-'}
  condition: sel
`

// DetectLoad is a detection-latency run: background events at Rate per second, and a probe
// event every ProbeEvery whose alert is awaited through the API.
type DetectLoad struct {
	Client     *client.Client
	Server     string
	Key        string
	Rate       int
	Duration   time.Duration
	ProbeEvery time.Duration
}

// DetectResult is what a detection run measured.
type DetectResult struct {
	Background int64 // background events acknowledged
	Elapsed    time.Duration
	Probes     int
	Seen       int
	P50, P99   time.Duration // probe event acknowledged → alert visible through the API
	Max        time.Duration
}

// RunDetect measures end-to-end streaming detection latency under load.
func RunDetect(ctx context.Context, l DetectLoad) (DetectResult, error) {
	var res DetectResult
	g := NewGen(4)
	const batch = 1000
	var body []byte
	for i := 0; i < batch; i++ {
		body = g.SecurityEvent(body, time.Now())
	}
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	hc := &http.Client{Timeout: 30 * time.Second}
	post := func(b []byte) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", l.Server+"/api/v1/ingest/SecurityEvent", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+l.Key)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("ingest answered %d", resp.StatusCode)
		}
		return nil
	}
	start := time.Now()
	var bg atomic.Int64
	var wg sync.WaitGroup
	// Background load: batches of 1,000 on a schedule that keeps Rate events/s, from two
	// senders so one slow acknowledgement does not stall the rate.
	interval := time.Duration(float64(time.Second) * batch / float64(l.Rate))
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			t := time.NewTicker(2 * interval)
			defer t.Stop()
			time.Sleep(time.Duration(w) * interval)
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if post(body) == nil {
						bg.Add(batch)
					}
				}
			}
		}(w)
	}
	// Probes: each has its own host, so each raises its own alert.
	var mu sync.Mutex
	acked := map[string]time.Time{}
	seen := map[string]time.Duration{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(l.ProbeEvery)
		defer t.Stop()
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			host := fmt.Sprintf("probe-%06d", n)
			ev := fmt.Sprintf(`{"Computer":%q,"EventID":4688,"NewProcessName":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd /c echo rampart-latency-probe-%d"}`+"\n", host, n)
			if post([]byte(ev)) == nil {
				mu.Lock()
				acked[host] = time.Now()
				mu.Unlock()
			}
		}
	}()
	// Watch the alerts API for the probes' alerts.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			var out struct {
				Alerts []struct {
					Entities []map[string]any
				}
			}
			if err := l.Client.JSON(context.Background(), "GET", "/api/v1/alerts?rule="+ProbeRuleID+"&limit=50", nil, &out); err == nil {
				now := time.Now()
				mu.Lock()
				for _, a := range out.Alerts {
					for _, e := range a.Entities {
						h, _ := e["HostName"].(string)
						if at, ok := acked[h]; ok && strings.HasPrefix(h, "probe-") {
							if _, done := seen[h]; !done {
								seen[h] = now.Sub(at)
							}
						}
					}
				}
				mu.Unlock()
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Background = bg.Load()
	mu.Lock()
	defer mu.Unlock()
	res.Probes, res.Seen = len(acked), len(seen)
	var lat []time.Duration
	for _, d := range seen {
		lat = append(lat, d)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		res.P50, res.P99, res.Max = percentile(lat, 0.5), percentile(lat, 0.99), lat[len(lat)-1]
	}
	return res, nil
}
