package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// RuleQuality is a rule's record from closed incidents.
type RuleQuality struct {
	RuleID         string  `json:"ruleId"`
	Alerts         int     `json:"alerts"`
	Closed         int     `json:"closedIncidents"`
	FalsePositives int     `json:"falsePositives"`
	FPRate         float64 `json:"falsePositiveRate"` // of closed incidents
}

// SOCMetrics is how the platform measures itself.
type SOCMetrics struct {
	Alerts            int           `json:"alerts"`
	Incidents         int           `json:"incidents"`
	OpenIncidents     int           `json:"openIncidents"`
	MeanTimeToDetect  time.Duration `json:"-"`
	MeanTimeToRespond time.Duration `json:"-"`
	MTTDSeconds       float64       `json:"meanTimeToDetectSeconds"`  // event time → alert
	MTTRSeconds       float64       `json:"meanTimeToRespondSeconds"` // incident created → closed
	Rules             []RuleQuality `json:"rules"`
}

// Metrics computes the SOC's own figures over alerts and incidents created since since.
func (s *Service) Metrics(ctx context.Context, since time.Time) (*SOCMetrics, error) {
	m := &SOCMetrics{Rules: []RuleQuality{}}
	var mttd sql.NullFloat64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), avg(epoch(time) - epoch(CAST(json_extract_string(doc, '$.startTime') AS TIMESTAMP))) FROM rampart_alerts WHERE time >= ?`, since).Scan(&m.Alerts, &mttd)
	if err != nil {
		return nil, err
	}
	m.MTTDSeconds = mttd.Float64
	m.MeanTimeToDetect = time.Duration(mttd.Float64 * float64(time.Second))

	rows, err := s.db.QueryContext(ctx, `SELECT doc FROM rampart_incidents WHERE created_at >= ?`, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	perRule := map[string]*RuleQuality{}
	var respond time.Duration
	closed := 0
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var inc Incident
		if err := json.Unmarshal([]byte(doc), &inc); err != nil {
			return nil, err
		}
		m.Incidents++
		if inc.Status != Closed {
			m.OpenIncidents++
			continue
		}
		closed++
		if inc.ClosedTime != nil {
			respond += inc.ClosedTime.Sub(inc.Created)
		}
		for _, r := range inc.RuleIDs {
			q := perRule[r]
			if q == nil {
				q = &RuleQuality{RuleID: r}
				perRule[r] = q
			}
			q.Closed++
			if inc.Classification == "FalsePositive" {
				q.FalsePositives++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if closed > 0 {
		m.MeanTimeToRespond = respond / time.Duration(closed)
		m.MTTRSeconds = m.MeanTimeToRespond.Seconds()
	}
	arows, err := s.db.QueryContext(ctx, `SELECT rule_id, count(*) FROM rampart_alerts WHERE time >= ? AND rule_id <> '' GROUP BY rule_id ORDER BY rule_id`, since)
	if err != nil {
		return nil, err
	}
	defer arows.Close()
	for arows.Next() {
		var id string
		var n int
		if err := arows.Scan(&id, &n); err != nil {
			return nil, err
		}
		q := perRule[id]
		if q == nil {
			q = &RuleQuality{RuleID: id}
		}
		q.Alerts = n
		if q.Closed > 0 {
			q.FPRate = float64(q.FalsePositives) / float64(q.Closed)
		}
		m.Rules = append(m.Rules, *q)
	}
	return m, arows.Err()
}
