// Command e2elocktags exercises lock= and tags= end to end. Eight
// processes sharing a backend ask for the same missing key at once and the
// function runs once, counted in a file they share; memo.InvalidateTags
// drops the results of the functions carrying a tag, in memory and in the
// shared backend, and reaches them from a process that knows them only
// through the backend's record of tags. The backend is a directory, or the
// Redis server at MEMO_E2E_REDIS when that is set.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	memo "github.com/memogen/memogen/runtime"
)

// processes is how many processes ask for the missing key at once.
const processes = 8

// Slow counts each run in the shared counter file, then waits for the
// parent's go-ahead, which comes once every process has made its call.
//
//memo:cache backend=shared lock=true tags=users
func Slow(n int) int {
	count("Slow")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		log.Fatal(err)
	}
	return n * n
}

// Unlocked takes no lease.
//
//memo:cache backend=shared lock=false
func Unlocked(n int) int { return n + 1 }

// Profile carries the users tag.
//
//memo:cache backend=shared tags=users
func Profile(id int) string { calls["Profile"]++; return fmt.Sprint("profile-", id) }

// Order carries two tags.
//
//memo:cache backend=shared tags=orders,billing
func Order(id int) string { calls["Order"]++; return fmt.Sprint("order-", id) }

// Plain carries none.
//
//memo:cache backend=shared
func Plain(id int) string { calls["Plain"]++; return fmt.Sprint("plain-", id) }

// Local keeps its results in memory, tagged too.
//
//memo:cache tags=users
func Local(id int) string { calls["Local"]++; return fmt.Sprint("local-", id) }

var calls = map[string]int{}

// count appends a line naming fn to the counter file every process shares.
func count(fn string) {
	f, err := os.OpenFile(os.Getenv("E2E_COUNTER"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(fn + "\n"); err != nil {
		log.Fatal(err)
	}
}

func main() {
	switch os.Getenv("E2E_ROLE") {
	case "asker":
		fmt.Println("calling")
		fmt.Println("result", SlowCached(7))
		return
	case "invalidator":
		// This process binds the shared store under another name, so that
		// none of its own functions can reach it: what it clears, it finds
		// in the store's record of tags.
		b, err := memo.Open(os.Getenv("E2E_URL"))
		if err != nil {
			log.Fatal(err)
		}
		memo.Register("elsewhere", b)
		if err := memo.InvalidateTags(context.Background(), os.Args[1]); err != nil {
			log.Fatal(err)
		}
		return
	}
	dir, err := os.MkdirTemp("", "e2elocktags")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	url := "file://" + dir + "/cache"
	if r := os.Getenv("MEMO_E2E_REDIS"); r != "" {
		url = r
	}
	os.Setenv("MEMO_BACKEND_SHARED", url)
	os.Setenv("E2E_URL", url)
	os.Setenv("E2E_COUNTER", dir+"/counter")
	stampede()
	tags()
}

// stampede starts the askers together and reports how often Slow ran.
func stampede() {
	var stdins []io.WriteCloser
	var outs []*bufio.Reader
	var cmds []*exec.Cmd
	for range processes {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "E2E_ROLE=asker")
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			log.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			log.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			log.Fatal(err)
		}
		cmds, stdins, outs = append(cmds, cmd), append(stdins, in), append(outs, bufio.NewReader(out))
	}
	for _, out := range outs {
		if line, err := out.ReadString('\n'); err != nil || line != "calling\n" {
			log.Fatalf("an asker said %q, %v", line, err)
		}
	}
	for _, in := range stdins {
		fmt.Fprintln(in, "go")
		in.Close()
	}
	results := map[string]int{}
	for i, out := range outs {
		line, err := out.ReadString('\n')
		if err != nil {
			log.Fatal(err)
		}
		results[strings.TrimSpace(line)]++
		if err := cmds[i].Wait(); err != nil {
			log.Fatal(err)
		}
	}
	counted, err := os.ReadFile(os.Getenv("E2E_COUNTER"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d processes asked for Slow(7) at once: it ran %d time(s); answers %v\n", processes, strings.Count(string(counted), "Slow\n"), results)
	fmt.Println("Slow(7) in this process:", SlowCached(7), "ran again:", strings.Count(string(counted), "Slow\n") != 1)
	fmt.Println("Unlocked(1):", UnlockedCached(1))
}

// tags invalidates by tag, here and from another process.
func tags() {
	ctx := context.Background()
	callAll := func(step string) {
		before := fmt.Sprint(calls)
		_, _, _, _ = ProfileCached(1), OrderCached(1), PlainCached(1), LocalCached(1)
		fmt.Printf("%-34s runs before %v, after %v\n", step+":", before, calls)
	}
	callAll("first calls")
	callAll("again, all cached")
	if err := memo.InvalidateTags(ctx, "users"); err != nil {
		log.Fatal(err)
	}
	callAll("after InvalidateTags(users)")
	if err := memo.InvalidateTags(ctx, "nobody"); err != nil {
		log.Fatal(err)
	}
	callAll("after InvalidateTags(nobody)")
	cmd := exec.Command(os.Args[0], "billing")
	cmd.Env = append(os.Environ(), "E2E_ROLE=invalidator", "MEMO_BACKEND_SHARED=")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
	callAll("after another process's (billing)")
}
