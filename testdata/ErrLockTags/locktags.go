// Package errlocktags misuses lock= and tags=.
package errlocktags

// BadLock spells true another way.
//
//memo:cache lock=yes
func BadLock(n int) int { return n }

// LockTypo misspells the option and its value.
//
//memo:cache lokc=true lock=ture
func LockTypo(n int) int { return n }

// MemoryOnly returns a func, which only memory can keep: a lease across
// processes means nothing for it.
//
//memo:cache lock=true
func MemoryOnly(n int) func() int { return func() int { return n } }

// BadTags has a space, an empty name, a leading dot and a repeat.
//
//memo:cache tags="a b,,.hidden,users,users"
func BadTags(n int) int { return n }

// TagTypo misspells tags.
//
//memo:cache tag=users
func TagTypo(n int) int { return n }

// LongTag has a tag longer than 64 bytes.
//
//memo:cache tags=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
func LongTag(n int) int { return n }
