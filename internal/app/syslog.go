package app

import (
	"context"
	"sync"
)

// startSyslog starts the syslog/CEF receivers that are configured.
func (s *Server) startSyslog(ctx context.Context, wg *sync.WaitGroup) error {
	return nil
}
