package bench

import (
	"context"
	"reflect"
	"testing"

	memo "github.com/memogen/memogen/runtime"
)

// TestContenders checks that every contender computes the same thing, so the
// benchmarks compare equal work.
func TestContenders(t *testing.T) {
	want := Search(benchIndex, benchQuery, benchPage)
	hand := &handMemo{m: make(map[string]Result)}
	syncMap := &syncMapMemo{}
	for i := range 2 {
		if got := SearchCached(benchIndex, benchQuery, benchPage); got != want {
			t.Errorf("call %d: SearchCached = %+v; want %+v", i, got, want)
		}
		if got := hand.Search(benchIndex, benchQuery, benchPage); got != want {
			t.Errorf("call %d: handMemo.Search = %+v; want %+v", i, got, want)
		}
		if got := syncMap.Search(benchIndex, benchQuery, benchPage); got != want {
			t.Errorf("call %d: syncMapMemo.Search = %+v; want %+v", i, got, want)
		}
	}
	if st := SearchMemo().Stats(); st.Hits != 1 || st.Misses != 1 {
		t.Errorf("SearchCached stats = %+v; want 1 hit and 1 miss", st)
	}
}

// TestBackendContenders checks that every backend contender returns the
// same profile, and that memogen's wrappers serve it from their backend.
func TestBackendContenders(t *testing.T) {
	s := openStores(t)
	ctx := context.Background()
	want := LoadProfile(benchID)
	contenders := map[string]func() (Profile, error){
		"file/memogen":          func() (Profile, error) { return ProfileFromFileCached(benchID), nil },
		"file/raw":              s.fileRead,
		"redis/memogen":         func() (Profile, error) { return ProfileFromRedisCached(benchID), nil },
		"redis/raw":             func() (Profile, error) { return s.redisGet(ctx) },
		"redis/go-redis-cache":  func() (Profile, error) { return s.redisCacheGet(ctx, s.rcache) },
		"s3/memogen":            func() (Profile, error) { return ProfileFromS3Cached(benchID), nil },
		"s3/raw":                func() (Profile, error) { return s.s3Get(ctx) },
		"tiered/memogen":        func() (Profile, error) { return ProfileFromTieredCached(benchID), nil },
		"tiered/go-redis-cache": func() (Profile, error) { return s.redisCacheGet(ctx, s.rcacheLC) },
	}
	for name, get := range contenders {
		got, err := get()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, %v; want %+v", name, got, err, want)
		}
	}
	for name, st := range map[string]memo.Stats{
		"file":   ProfileFromFileMemo().Stats(),
		"redis":  ProfileFromRedisMemo().Stats(),
		"s3":     ProfileFromS3Memo().Stats(),
		"tiered": ProfileFromTieredMemo().Stats(),
	} {
		if st.Misses != 1 || st.Hits == 0 || st.Failures != 0 || st.Corrupt != 0 {
			t.Errorf("%s wrapper stats = %+v; want one miss, hits, no failures", name, st)
		}
	}
}
