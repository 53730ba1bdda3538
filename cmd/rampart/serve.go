package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/app"
)

func init() {
	var cfg app.Config
	var logLevel string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Rampart server (embedded storage)",
		Long: `Run the Rampart server with embedded DuckDB storage in --data.

On first start it creates an admin API key and prints it once, or uses
RAMPART_ADMIN_KEY when that is set. HTTP and syslog listen on loopback by default.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(logLevel)); err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
			cfg.AdminKey = os.Getenv("RAMPART_ADMIN_KEY")
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			srv, err := app.New(ctx, cfg, log)
			if err != nil {
				return err
			}
			return srv.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DataDir, "data", "./data", "data directory (the DuckDB database lives here)")
	f.StringVar(&cfg.Listen, "listen", "127.0.0.1:8080", "HTTP listen address")
	f.StringVar(&cfg.SyslogUDP, "syslog-udp", "127.0.0.1:5514", "syslog UDP listen address (empty disables)")
	f.StringVar(&cfg.SyslogTCP, "syslog-tcp", "127.0.0.1:5514", "syslog TCP listen address, newline or octet-counting framing (empty disables)")
	f.StringVar(&cfg.SyslogTLS, "syslog-tls", "", "syslog over TLS listen address (needs --tls-cert and --tls-key)")
	f.StringVar(&cfg.TLSCert, "tls-cert", "", "certificate file for syslog over TLS")
	f.StringVar(&cfg.TLSKey, "tls-key", "", "private key file for syslog over TLS")
	f.Int64Var(&cfg.MaxBodyBytes, "max-body", 64<<20, "largest ingest request body in bytes, after decompression")
	f.IntVar(&cfg.QueueRows, "queue-rows", 500_000, "rows accepted but not yet committed before ingestion answers 503")
	f.StringVar(&cfg.DemoDir, "demo", "", "load the demo data files in this directory on first start")
	f.IntVar(&cfg.Threads, "db-threads", 0, "DuckDB worker threads (0: one per core)")
	f.StringVar(&cfg.MemoryLimit, "db-memory", "", "DuckDB memory limit, e.g. 2GB (empty: DuckDB's default)")
	f.StringSliceVar(&cfg.PolicyPaths, "policies", nil, "extra posture policy files or folders (YAML, the built-in format)")
	f.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn, error")
	rootCmd.AddCommand(cmd)
}
