package main

// LinuxDouble is built on Linux only.
//
//memo:cache
func LinuxDouble(n int) int {
	calls["platform"]++
	return 2 * n
}

func platform(n int) int { return LinuxDoubleCached(n) }
