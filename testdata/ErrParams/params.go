// Package errparams has nocache= and ignore= options that name the wrong
// parameters.
package errparams

import "log"

// NotBool names an int parameter in nocache=.
//
//memo:cache nocache=id
func NotBool(id int, refresh bool) string { return "" }

// Missing misspells the refresh parameter in nocache=.
//
//memo:cache nocache=refrsh
func Missing(id int, refresh bool) string { return "" }

// Unrelated names a parameter that is not close to any.
//
//memo:cache nocache=force
func Unrelated(id int, refresh bool) string { return "" }

// IgnoreTypo misspells logger in ignore=.
//
//memo:cache ignore=id2,loger
func IgnoreTypo(logger *log.Logger, id int) string { return "" }

// IgnoreBlank cannot ignore a parameter it does not name.
//
//memo:cache ignore=x
func IgnoreBlank(_ int, id int) string { return "" }

// IgnoreNoCache names its nocache= flag in ignore= too: a warning.
//
//memo:cache nocache=refresh ignore=refresh
func IgnoreNoCache(id int, refresh bool) string { return "" }
