package generator

import (
	"strings"
	"testing"
)

func TestNearMiss(t *testing.T) {
	flagged := []string{
		"// memo:cache",
		"// memo:cache ttl=5m",
		"//\tmemo:cache size=3",
		"//Memo:cache",
		"//MEMO:CACHE ttl=1h",
		"//memocache",
		"//memocache ttl=5m",
		"//memo-cache",
		"//memo_cache ttl=5m",
		"//memo.cache",
		"//memo cache ttl=5m",
		"// memo: cache ttl=5m",
		"// memocache ttl=5m",
		"// Memo:Cached",
	}
	for _, text := range flagged {
		if got := nearMiss(text); !strings.Contains(got, "did you mean //memo:cache?") {
			t.Errorf("nearMiss(%q) = %q; want a did-you-mean", text, got)
		}
	}
	prose := []string{
		"//memo:cache",        // the directive itself
		"//memo:cache ttl=5m", // idem
		"//memo:cached",       // the unknown-directive check's
		"// memo cache",       // a prose line ending in those words
		"// Memo cache entries are kept for a day.",
		"// memoCache holds the results.",
		"// memo: cache misses are counted too",
		"// memo:cache directives are parsed here",
		"//memocache.Get(ctx, key)",
		"//memoCache := newCache()",
		"// The memo cache is cleared by Clear.",
		"// See memo.Configure.",
		"/* memo:cache */",
	}
	for _, text := range prose {
		if got := nearMiss(text); got != "" {
			t.Errorf("nearMiss(%q) = %q; want \"\"", text, got)
		}
	}
}
