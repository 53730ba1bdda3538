package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Filter selects, sorts and pages incidents.
type Filter struct {
	Status   []Status
	Severity []Severity
	Owner    string // substring of the owner's name or email
	Search   string // substring of the title
	Since    time.Time
	Sort     string // number (default), created, modified, severity
	Desc     bool
	Limit    int // default 50, at most 1000
	Offset   int
}

var sortColumns = map[string]string{"": "number", "number": "number", "created": "created_at", "modified": "modified_at",
	"severity": "CASE severity WHEN 'High' THEN 3 WHEN 'Medium' THEN 2 WHEN 'Low' THEN 1 ELSE 0 END"}

// List returns a page of incidents and the number that match.
func (s *Service) List(ctx context.Context, f Filter) ([]*Incident, int, error) {
	order, ok := sortColumns[f.Sort]
	if !ok {
		return nil, 0, invalid("cannot sort by %q (number, created, modified, severity)", f.Sort)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 1000 || f.Offset < 0 {
		return nil, 0, invalid("limit must be at most 1000 and offset not negative")
	}
	var where []string
	var args []any
	if len(f.Status) > 0 {
		var ph []string
		for _, st := range f.Status {
			ph = append(ph, "?")
			args = append(args, string(st))
		}
		where = append(where, "status IN ("+strings.Join(ph, ",")+")")
	}
	if len(f.Severity) > 0 {
		var ph []string
		for _, sv := range f.Severity {
			ph = append(ph, "?")
			args = append(args, string(sv))
		}
		where = append(where, "severity IN ("+strings.Join(ph, ",")+")")
	}
	if f.Owner != "" {
		where = append(where, "lower(owner) LIKE ?")
		args = append(args, "%"+strings.ToLower(escapeLike(f.Owner))+"%")
	}
	if f.Search != "" {
		where = append(where, "lower(title) LIKE ?")
		args = append(args, "%"+strings.ToLower(escapeLike(f.Search))+"%")
	}
	if !f.Since.IsZero() {
		where = append(where, "created_at >= ?")
		args = append(args, f.Since)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM rampart_incidents"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT doc FROM rampart_incidents%s ORDER BY %s %s, number %s LIMIT %d OFFSET %d",
		cond, order, dir, dir, f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*Incident{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, err
		}
		inc := &Incident{}
		if err := json.Unmarshal([]byte(doc), inc); err != nil {
			return nil, 0, err
		}
		out = append(out, inc)
	}
	return out, total, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Patch is a change to an incident; nil fields stay as they are.
type Patch struct {
	Title                 *string   `json:"title"`
	Severity              *string   `json:"severity"`
	Status                *string   `json:"status"`
	Classification        *string   `json:"classification"`
	ClassificationReason  *string   `json:"classificationReason"`
	ClassificationComment *string   `json:"classificationComment"`
	Owner                 *Owner    `json:"owner"`
	Labels                *[]string `json:"labels"`
}

// Update applies a patch by actor, recording each change in the timeline and as a
// SecurityIncident row. Closing needs a classification.
func (s *Service) Update(ctx context.Context, number int, p Patch, actor string) (*Incident, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	now := s.now()
	note := func(what, detail string) {
		inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: actor, What: what, Detail: detail})
	}
	if p.Title != nil {
		if t := strings.TrimSpace(*p.Title); t == "" || len(t) > 512 {
			return nil, invalid("title must be 1 to 512 characters")
		}
		note("title", *p.Title)
		inc.Title = strings.TrimSpace(*p.Title)
	}
	if p.Severity != nil {
		sev, err := ParseSeverity(*p.Severity)
		if err != nil {
			return nil, invalid("%v", err)
		}
		note("severity", fmt.Sprintf("%s → %s", inc.Severity, sev))
		inc.Severity = sev
	}
	if p.Owner != nil {
		note("owner", strings.TrimSpace(p.Owner.Name+" "+p.Owner.Email))
		inc.Owner = *p.Owner
	}
	if p.Labels != nil {
		if len(*p.Labels) > 50 {
			return nil, invalid("at most 50 labels")
		}
		inc.Labels = addUnique([]string{}, *p.Labels...)
		note("labels", strings.Join(inc.Labels, ", "))
	}
	if p.Classification != nil {
		if !classifications[*p.Classification] {
			return nil, invalid("classification must be TruePositive, BenignPositive, FalsePositive or Undetermined")
		}
		inc.Classification = *p.Classification
	}
	if p.ClassificationReason != nil {
		inc.ClassificationReason = *p.ClassificationReason
	}
	if p.ClassificationComment != nil {
		inc.ClassificationComment = *p.ClassificationComment
	}
	if p.Status != nil {
		st := Status(*p.Status)
		switch st {
		case New, Active:
			if inc.Status == Closed {
				inc.ClosedTime = nil
				inc.Classification, inc.ClassificationReason, inc.ClassificationComment = "", "", ""
			}
		case Closed:
			if inc.Classification == "" {
				return nil, invalid("closing an incident needs a classification (TruePositive, BenignPositive, FalsePositive or Undetermined)")
			}
			t := now
			inc.ClosedTime = &t
		default:
			return nil, invalid("status must be New, Active or Closed")
		}
		detail := fmt.Sprintf("%s → %s", inc.Status, st)
		if st == Closed {
			detail += " (" + inc.Classification + ")"
		}
		note("status", detail)
		inc.Status = st
	}
	inc.Modified = now
	return inc, s.commit(ctx, inc, actor)
}

func (s *Service) commit(ctx context.Context, inc *Incident, actor string) error {
	if err := s.save(ctx, inc); err != nil {
		return err
	}
	return s.sink.Emit(ctx, "SecurityIncident", []map[string]string{incidentRow(inc, actor)})
}

// AddComment adds a comment by author.
func (s *Service) AddComment(ctx context.Context, number int, author, text string) (*Incident, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 30000 {
		return nil, invalid("a comment is 1 to 30,000 characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	if len(inc.Comments) >= 100 {
		return nil, invalid("an incident holds at most 100 comments")
	}
	now := s.now()
	inc.Comments = append(inc.Comments, Comment{Time: now, Author: author, Text: text})
	inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: author, What: "comment"})
	inc.Modified = now
	return inc, s.commit(ctx, inc, author)
}

// AddTask adds a task.
func (s *Service) AddTask(ctx context.Context, number int, author, title, description string) (*Incident, error) {
	title = strings.TrimSpace(title)
	if title == "" || len(title) > 150 || len(description) > 3000 {
		return nil, invalid("a task has a title of 1 to 150 characters and a description of at most 3,000")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	if len(inc.Tasks) >= 40 {
		return nil, invalid("an incident holds at most 40 tasks")
	}
	now := s.now()
	inc.Tasks = append(inc.Tasks, Task{ID: len(inc.Tasks) + 1, Title: title, Description: description, Status: "New", Created: now, Author: author})
	inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: author, What: "task added", Detail: title})
	inc.Modified = now
	return inc, s.commit(ctx, inc, author)
}

// SetTaskStatus marks a task New or Completed.
func (s *Service) SetTaskStatus(ctx context.Context, number, task int, status, actor string) (*Incident, error) {
	if status != "New" && status != "Completed" {
		return nil, invalid("task status must be New or Completed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	if task < 1 || task > len(inc.Tasks) {
		return nil, ErrNotFound
	}
	now := s.now()
	inc.Tasks[task-1].Status = status
	inc.Timeline = append(inc.Timeline, Change{Time: now, Actor: actor, What: "task " + strings.ToLower(status), Detail: inc.Tasks[task-1].Title})
	inc.Modified = now
	return inc, s.commit(ctx, inc, actor)
}

// Alerts returns alerts, newest first: of one incident (incident > 0) or of a rule.
func (s *Service) Alerts(ctx context.Context, incident int, ruleID string, limit int) ([]Alert, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT doc FROM rampart_alerts`
	var args []any
	switch {
	case incident > 0:
		q += ` WHERE incident = ?`
		args = append(args, incident)
	case ruleID != "":
		q += ` WHERE rule_id = ?`
		args = append(args, ruleID)
	}
	q += fmt.Sprintf(` ORDER BY time DESC LIMIT %d`, limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Alert{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var a Alert
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
