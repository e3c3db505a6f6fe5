// Command metrics serves the counters of its memoized function to
// Prometheus at /metrics and as expvar at /debug/vars:
//
//	go run ./examples/metrics &
//	curl -s localhost:8080/square?n=12   # twice: a miss, then a hit
//	curl -s localhost:8080/metrics | grep memogen_
//	curl -s localhost:8080/debug/vars | grep -A12 memogen
package main

//go:generate go run github.com/memogen/memogen/cmd/memogen

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strconv"

	_ "github.com/memogen/memogen/metrics/expvar"
	memoprom "github.com/memogen/memogen/metrics/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Square pretends to be worth caching.
//
//memo:cache size=10000
func Square(n int) int { return n * n }

// newMux returns the example's handlers, the metrics registered on reg.
func newMux(reg *prometheus.Registry) *http.ServeMux {
	reg.MustRegister(memoprom.NewCollector())
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/debug/vars", expvar.Handler())
	mux.HandleFunc("/square", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil {
			http.Error(w, "n: "+err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, SquareCached(n))
	})
	return mux
}

func main() {
	addr := flag.String("addr", "localhost:8080", "address to serve on")
	flag.Parse()
	log.Printf("serving /metrics, /debug/vars and /square?n= on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, newMux(prometheus.NewRegistry())))
}
