package suggest

import "testing"

func TestSuggest(t *testing.T) {
	keys := []string{"backend", "codec", "ignore", "name", "nocache", "receiver", "size", "ttl", "version"}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		// One typo is forgiven in short names.
		{"tll", keys, "ttl"},
		{"tl", keys, "ttl"},
		{"siz", keys, "size"},
		{"codc", keys, "codec"},
		{"loger", []string{"ctx", "logger", "id"}, "logger"},
		// A swapped pair of adjacent letters is one typo.
		{"recevier", keys, "receiver"},
		{"nocahce", keys, "nocache"},
		{"feilds", []string{"ignore", "fields"}, "fields"},
		{"igonre", keys, "ignore"},
		{"cahce", []string{"cache"}, "cache"},
		{"nmae", keys, "name"},
		// Longer names are forgiven about one edit per three runes.
		{"verison2", keys, "version"},
		{"tllx", keys, ""},
		// Case is ignored, so a name differing only in case is found...
		{"TTL", keys, "ttl"},
		{"userID", []string{"ctx", "userId"}, "userId"},
		// ...but among equally close candidates, matching case wins,
		{"Id", []string{"ID", "Id", "id"}, "Id"},
		// and otherwise the earlier candidate wins.
		{"ab", []string{"xb", "ax"}, "xb"},
		// Nothing is suggested for names too far from every candidate.
		{"expiry", keys, ""},
		{"ctx", []string{"cfg"}, ""},
		// A name is never "corrected" into one it shares nothing with.
		{"a", []string{"b"}, ""},
		{"a", []string{"A"}, "A"},
		{"", keys, ""},
		{"x", nil, ""},
		// Non-ASCII names are compared rune by rune.
		{"gröse", []string{"grosse", "grösse"}, "grösse"},
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q; want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"ttl", "ttl", 0},
		{"tll", "ttl", 1},
		{"kitten", "sitting", 3},
		{"recevier", "receiver", 1},
		{"ab", "ba", 1},
		{"abc", "ca", 3}, // optimal string alignment: no edit of a swapped pair
		{"ö", "o", 1},    // one rune, though two bytes
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
