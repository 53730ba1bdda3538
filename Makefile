# Rampart — see README.md. `make run` starts a server with demo data; `make test` is what CI runs.
GO      ?= go
BIN     ?= bin/rampart
DATA    ?= ./data
SHARED  ?= ../shared
# The quick start's admin key; set your own (16+ characters) for anything but a demo.
RAMPART_ADMIN_KEY ?= rampart-demo-admin-key
export RAMPART_ADMIN_KEY

.PHONY: build run test test-race fuzz bench bench-ingest schemas standards demo vet clean

build:
	$(GO) build -o $(BIN) ./cmd/rampart

run: build
	$(BIN) serve --data $(DATA) --demo demo

vet:
	$(GO) vet ./...

test: vet
	bash scripts/test.sh
	$(GO) test -count=1 -race ./internal/ingest/... ./internal/auth/... ./internal/detect/... ./internal/incident/... ./internal/ti ./internal/app/...

# Short fuzzing of every parser of untrusted input (FUZZTIME per target). Counted runs
# ("3000x") rather than durations: Go 1.26's coordinator can fail a duration-bounded run with a
# spurious "context deadline exceeded" on a loaded machine (go.dev/issue/75804).
FUZZTIME ?= 20000x
fuzz:
	@for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$spec/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "fuzz $$spec $$f"; $(GO) test ./$$spec -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

# The 60-second ingestion load test recorded in docs/benchmarks.md.
bench-ingest: build
	$(BIN) bench ingest --duration 60s

# Regenerate the built-in table catalogue from the Sentinel schemas.
schemas:
	$(GO) run ./tools/genschema -in $(SHARED)/corpus/sentinel/schemas.json -index $(SHARED)/corpus/sentinel/schemas/index.json -out internal/schema/builtin.json

# Regenerate the compliance standards catalogue from the posture corpus.
standards:
	$(GO) run ./tools/genstandards -corpus $(SHARED)/corpus/posture -out internal/posture/compliance/standards.json

# Regenerate the demo data from the corpora.
demo:
	$(GO) run ./tools/gendemo -shared $(SHARED) -out demo

clean:
	rm -rf bin
