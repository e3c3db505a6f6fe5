// Package runtime is what programs that use memogen's generated code call:
// it binds backends to names, configures every memoized function at once,
// and reports what the cache did.
//
// Results live in a backend bound by name at run time: [Register] binds one
// in code, [Open] opens one from a URL, and MEMO_BACKEND_<NAME>=<url> binds
// one from the environment the first time it is needed. The backend named
// "default" is the in-memory LRU store of package
// github.com/memogen/memogen/backends/memory unless rebound.
// [CheckBackends] reports at startup the names nothing is bound to, and
// [Close] drains and closes the bound backends on the way out.
// MEMO_DISABLE=1 turns every wrapper into a plain call. MEMO_SIGN_KEY or
// MEMO_ENCRYPT_KEY (and their _PREV for a rotation) sign or encrypt the
// entries of every byte-level backend bound from the environment, and a
// URL's sign= or encrypt= those of one backend (see [Open]).
//
// [Configure] sets what every function shares: a hook that sees each call
// ([CallInfo]), a logger, timeouts, the cooldown of a failing backend, the
// bound on a stored entry. Each wrapper's handle reports its [Stats]. A
// function whose size= exceeds its memory store's bound on all functions
// together (max_entries) is reported once as [ErrUnreachableBound].
//
// A result goes into a byte-level backend only if it reads back equal: the
// runtime decodes what it encoded and compares the two before storing. A
// result that would come back different is returned, not stored, counted
// in [Stats].Unstorable and reported once per function as [ErrUnstorable].
// MEMO_NOVERIFY=1, [Config].NoVerify and a directive's verify=false skip
// the check.
//
// [InvalidateTags] drops the results of every function whose directive
// carries a tag (tags=), in this process and, through the backends' record
// of tags, in every process sharing a file, Redis or S3 backend. Among
// processes sharing a file or Redis backend, one computes a missing key
// while the others wait for it, up to [Config].LockWait (lock=).
//
// A type can supply its own key with a MemoKey(w *memo.KeyWriter) method
// ([Keyer]), writing its state with the methods of [KeyWriter].
//
// Two other packages hold what this one's users need not see: package
// github.com/memogen/memogen/runtime/memoimpl is the plumbing generated code
// calls, and package github.com/memogen/memogen/runtime/store the contract
// of backend and codec authors.
//
// # The package name
//
// The package is named runtime because it is memogen's run-time half, and
// the folder name tells a newcomer so. It shadows the standard library's
// runtime in a file that imports both, so generated code always imports it
// under the name memo:
//
//	import memo "github.com/memogen/memogen/runtime"
//
// and this documentation refers to its identifiers the same way
// (memo.Register, memo.KeyWriter).
//
// # Concurrency
//
// Every exported function and method is safe for concurrent use, except
// those of a [KeyWriter]. Concurrent calls with the same key run the
// function once; the others wait and share its result, its error or its
// panic ([PanicError]). A waiter whose context ends stops waiting without
// disturbing the others.
package runtime
