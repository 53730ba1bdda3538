package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/client"
)

// clientFlags are the flags of commands that talk to a server.
type clientFlags struct {
	server string
	key    string
}

func (f *clientFlags) register(cmd *cobra.Command) {
	server := os.Getenv("RAMPART_SERVER")
	if server == "" {
		server = "http://127.0.0.1:8080"
	}
	cmd.Flags().StringVar(&f.server, "server", server, "server URL (env RAMPART_SERVER)")
	cmd.Flags().StringVar(&f.key, "key", "", "API key (default: env RAMPART_API_KEY, then RAMPART_ADMIN_KEY)")
}

func (f *clientFlags) client() (*client.Client, error) {
	key := f.key
	for _, env := range []string{"RAMPART_API_KEY", "RAMPART_ADMIN_KEY"} {
		if key == "" {
			key = os.Getenv(env)
		}
	}
	if key == "" {
		return nil, errors.New("no API key: pass --key or set RAMPART_API_KEY")
	}
	return client.New(f.server, key), nil
}
