//go:build !unix

package sigma

import "time"

// cpuTime falls back to wall time where rusage is not available.
var start = time.Now()

func cpuTime() time.Duration { return time.Since(start) }
