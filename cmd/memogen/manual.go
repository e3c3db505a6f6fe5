package main

import _ "embed"

// docGo is doc.go, whose package doc is memogen's manual: embedding it
// makes -h print what go doc prints, from the one text.
//
//go:embed doc.go
var docGo []byte
