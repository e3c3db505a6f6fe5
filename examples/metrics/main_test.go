package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestServesMetrics(t *testing.T) {
	srv := httptest.NewServer(newMux(prometheus.NewRegistry()))
	defer srv.Close()
	for range 3 {
		if got := get(t, srv.URL+"/square?n=12"); got != "144\n" {
			t.Fatalf("square = %q", got)
		}
	}
	metrics := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`memogen_calls_total{backend="default",function="github.com/memogen/memogen/examples/metrics.Square",outcome="hit"} 2`,
		`memogen_calls_total{backend="default",function="github.com/memogen/memogen/examples/metrics.Square",outcome="miss"} 1`,
		`memogen_calls_total{backend="default",function="github.com/memogen/memogen/examples/metrics.Square",outcome="stale"} 0`,
		`memogen_entries{backend="default",function="github.com/memogen/memogen/examples/metrics.Square"} 1`,
		`memogen_call_duration_seconds_count{function="github.com/memogen/memogen/examples/metrics.Square",outcome="hit"} 2`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if vars := get(t, srv.URL+"/debug/vars"); !strings.Contains(vars, `"memogen": {"github.com/memogen/memogen/examples/metrics.Square":{"backend":"default",`) {
		t.Errorf("/debug/vars lacks Square: %.300s", vars)
	}
}
