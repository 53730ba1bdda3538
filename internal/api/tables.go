package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/tables"
)

type tableSummary struct {
	Name           string `json:"name"`
	Columns        int    `json:"columns"`
	Custom         bool   `json:"custom"`
	FunctionOutput bool   `json:"functionOutput,omitempty"`
	RetentionDays  int    `json:"retentionDays"`
}

func (s *Server) handleListTables(w http.ResponseWriter, r *http.Request) {
	list := s.tables.List()
	out := make([]tableSummary, 0, len(list))
	for _, t := range list {
		out = append(out, tableSummary{Name: t.Name, Columns: len(t.Columns), Custom: t.Custom, FunctionOutput: t.FunctionOutput, RetentionDays: t.RetentionDays})
	}
	writeJSON(w, http.StatusOK, map[string]any{"tables": out})
}

type tableDetail struct {
	*schema.Table
	// System columns stored with every row besides the schema's.
	SystemColumns []schema.Column `json:"systemColumns"`
	Rows          int64           `json:"rows"`
	StoredBytes   int64           `json:"storedBytes"`
}

var systemColumns = []schema.Column{
	{Name: schema.IngestionTimeColumn, Type: schema.DateTime},
	{Name: schema.AdditionalFieldsColumn, Type: schema.Dynamic},
}

func (s *Server) describe(w http.ResponseWriter, r *http.Request, t *schema.Table, status int) {
	st, err := s.store.Stats(r.Context(), t)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "store", err.Error())
		return
	}
	writeJSON(w, status, tableDetail{Table: t, SystemColumns: systemColumns, Rows: st.Rows, StoredBytes: st.Bytes})
}

func (s *Server) handleGetTable(w http.ResponseWriter, r *http.Request) {
	t, ok := s.tables.Get(r.PathValue("name"))
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_table", fmt.Sprintf("no table %q", r.PathValue("name")))
		return
	}
	s.describe(w, r, t, http.StatusOK)
}

func (s *Server) handlePutTable(w http.ResponseWriter, r *http.Request) {
	var c tables.Change
	if err := decodeBody(r, &c); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	t, created, err := s.tables.Apply(r.Context(), r.PathValue("name"), c)
	if err != nil {
		var ve *tables.ValidationError
		if errors.As(err, &ve) {
			writeError(w, http.StatusBadRequest, "invalid_table", ve.Msg)
			return
		}
		writeError(w, http.StatusInternalServerError, "store", err.Error())
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	s.describe(w, r, t, status)
}
