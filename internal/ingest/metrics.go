package ingest

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the ingestion pipeline's Prometheus metrics.
type Metrics struct {
	Rows        *prometheus.CounterVec
	Bytes       *prometheus.CounterVec
	Rejects     *prometheus.CounterVec
	CommitTime  prometheus.Histogram
	QueueRows   prometheus.Gauge
	CommitRows  prometheus.Histogram
	CommitFails prometheus.Counter
}

// NewMetrics registers the metrics with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Rows:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rampart_ingest_rows_total", Help: "Rows stored, by table."}, []string{"table"}),
		Bytes:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rampart_ingest_bytes_total", Help: "Input bytes of stored rows, by table."}, []string{"table"}),
		Rejects: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rampart_ingest_rejects_total", Help: "Rejected requests or messages, by reason."}, []string{"reason"}),
		CommitTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "rampart_ingest_commit_seconds", Help: "Latency of durable batch commits.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		CommitRows: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "rampart_ingest_commit_rows", Help: "Rows per commit.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 10)}),
		QueueRows:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "rampart_ingest_queue_rows", Help: "Rows waiting to be committed."}),
		CommitFails: prometheus.NewCounter(prometheus.CounterOpts{Name: "rampart_ingest_commit_failures_total", Help: "Commits that failed."}),
	}
	if reg != nil {
		reg.MustRegister(m.Rows, m.Bytes, m.Rejects, m.CommitTime, m.CommitRows, m.QueueRows, m.CommitFails)
	}
	return m
}
