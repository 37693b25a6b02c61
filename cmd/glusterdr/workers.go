package main

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// workerView is one geo-replication worker, as session and checkpoint
// print it.
type workerView struct {
	PrimaryNode              string     `json:"primary_node"`
	Brick                    string     `json:"brick"`
	SecondaryNode            string     `json:"secondary_node,omitempty"`
	Status                   string     `json:"status"`
	CrawlStatus              string     `json:"crawl_status,omitempty"`
	LastSynced               *time.Time `json:"last_synced"`
	Entry                    int        `json:"entry"`
	Data                     int        `json:"data"`
	Meta                     int        `json:"meta"`
	Failures                 int        `json:"failures"`
	CheckpointTime           *time.Time `json:"checkpoint_time"`
	CheckpointCompleted      bool       `json:"checkpoint_completed"`
	CheckpointCompletionTime *time.Time `json:"checkpoint_completion_time"`
}

func workerViews(ws []gluster.Worker) []workerView {
	out := make([]workerView, 0, len(ws))
	for _, w := range ws {
		out = append(out, workerView{PrimaryNode: w.PrimaryNode, Brick: w.PrimaryBrick, SecondaryNode: w.SecondaryNode,
			Status: w.Status, CrawlStatus: w.CrawlStatus, LastSynced: timeOrNil(w.LastSynced),
			Entry: w.Entry, Data: w.Data, Meta: w.Meta, Failures: w.Failures,
			CheckpointTime: timeOrNil(w.CheckpointTime), CheckpointCompleted: w.CheckpointCompleted,
			CheckpointCompletionTime: timeOrNil(w.CheckpointCompletionTime)})
	}
	return out
}

// timeOrNil is t in UTC, or nil for the zero time (gluster's N/A).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
