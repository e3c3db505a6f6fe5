// Package store is the contract between memogen's runtime and the stores
// and codecs that plug into it: what a backend implements ([Backend], and
// [ValueStore] for one that keeps values in memory), the addresses and the
// stored form of entries ([Key], [Entry]), what a codec implements
// ([Codec], [Compressor]) and the limits it decodes within ([Limits]), and
// the registries by which backends and codecs make themselves known by
// name ([RegisterScheme], [RegisterCodec]).
//
// Programs that only use memoized functions need none of it: they bind
// backends with package memo (github.com/memogen/memogen/runtime). Backend
// and codec packages import store, and assert their implementations:
//
//	var _ store.Backend = (*Store)(nil)
package store
