package memory

// ghost remembers, approximately, the hashes of entries recently evicted
// from a small queue, so that an entry computed again soon after joins the
// main queue at once (S3-FIFO's ghost queue). It is two generations of a
// Bloom filter of one byte a key, three probes each: a key is remembered
// while its generation or the next is current, and a generation ends after
// as many insertions as the store held entries when it began. It costs
// about two bytes per entry the store holds, allocated at the first
// eviction, and none while nothing is evicted.
type ghost struct {
	cur, prev []uint64 // bit sets
	added     int      // insertions into cur
	capacity  int      // insertions cur takes before it becomes prev
}

// add remembers h; held is the number of entries the store holds.
func (g *ghost) add(h uint64, held int) {
	if g.cur == nil || g.added >= g.capacity {
		g.prev = g.cur
		g.capacity = max(held, 64)
		words := 1
		for words*64 < 8*g.capacity {
			words *= 2
		}
		g.cur, g.added = make([]uint64, words), 0
	}
	for _, bit := range probes(h, len(g.cur)) {
		g.cur[bit/64] |= 1 << (bit % 64)
	}
	g.added++
}

// has reports whether h was added to either generation, with a few
// percent of false positives.
func (g *ghost) has(h uint64) bool {
	return in(g.cur, h) || in(g.prev, h)
}

func in(set []uint64, h uint64) bool {
	if set == nil {
		return false
	}
	for _, bit := range probes(h, len(set)) {
		if set[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
	}
	return true
}

// probes derives three bit positions in a set of words 64-bit words (a
// power of two) from h, by double hashing.
func probes(h uint64, words int) [3]uint64 {
	mask := uint64(words*64 - 1)
	a, b := h, h>>32|1
	return [3]uint64{a & mask, (a + b) & mask, (a + 2*b) & mask}
}
