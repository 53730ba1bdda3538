package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

// TestMain lets the test binary double as a server child process for the crash test.
func TestMain(m *testing.M) {
	if dir := os.Getenv("RAMPART_TEST_CHILD_DATA"); dir != "" {
		runChild(dir, os.Getenv("RAMPART_TEST_CHILD_ADDR"))
		return
	}
	os.Exit(m.Run())
}

func runChild(dir, addrFile string) {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	srv, err := New(ctx, Config{DataDir: dir, Listen: "127.0.0.1:0", AdminKey: adminKey, Threads: 2}, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	go func() {
		addr := srv.Addr()
		os.WriteFile(addrFile+".tmp", []byte(addr), 0o600)
		os.Rename(addrFile+".tmp", addrFile)
	}()
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
}

func startChild(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RAMPART_TEST_CHILD_DATA="+dir, "RAMPART_TEST_CHILD_ADDR="+addrFile)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(addrFile); err == nil {
			return cmd, "http://" + string(b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("child server did not start")
	return nil, ""
}

// TestAcknowledgedRowsSurviveKill streams batches to a server child process, kills it with
// SIGKILL mid-stream, restarts it and checks that every acknowledged row is there exactly
// once (and that no row is there twice).
func TestAcknowledgedRowsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	child, base := startChild(t, dir)

	const writers, batchRows = 4, 200
	var mu sync.Mutex
	acked := map[string]bool{} // row id -> acknowledged
	sent := 0
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				var body bytes.Buffer
				ids := make([]string, batchRows)
				for i := range ids {
					ids[i] = fmt.Sprintf("w%d-b%d-r%d", w, seq, i)
					fmt.Fprintf(&body, `{"Computer":"crash-test","Account":%q,"EventID":%d}`+"\n", ids[i], i)
				}
				req, _ := http.NewRequest("POST", base+"/api/v1/ingest/SecurityEvent", &body)
				req.Header.Set("Authorization", "Bearer "+adminKey)
				req.Header.Set("Content-Type", "application/x-ndjson")
				mu.Lock()
				sent += batchRows
				mu.Unlock()
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					for _, id := range ids {
						acked[id] = true
					}
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let acknowledgements accumulate, then kill without warning.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20_000 {
			break
		}
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no batch was acknowledged before the kill")
	}

	// Restart: the server must come back on the same data, then stop cleanly.
	child, _ = startChild(t, dir)
	child.Process.Signal(syscall.SIGTERM)
	if err := child.Wait(); err != nil {
		t.Fatalf("restarted server exited with %v", err)
	}

	st, err := duckdb.Open(dir, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(context.Background(), `SELECT "Account", count(*) FROM "SecurityEvent" WHERE "Computer" = 'crash-test' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		stored[id] = n
	}
	missing, dup := 0, 0
	for id := range acked {
		if stored[id] != 1 {
			missing++
		}
	}
	for id, n := range stored {
		if n > 1 {
			dup++
			if dup < 5 {
				t.Errorf("row %s stored %d times", id, n)
			}
		}
		if !strings.HasPrefix(id, "w") {
			t.Errorf("unexpected row %q", id)
		}
	}
	t.Logf("sent %d rows, %d acknowledged, %d stored after the crash", sent, len(acked), len(stored))
	if missing > 0 || dup > 0 {
		t.Fatalf("%d acknowledged rows missing, %d rows duplicated", missing, dup)
	}
}
