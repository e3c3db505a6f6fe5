package raw_test

import (
	"bytes"
	"testing"

	"github.com/memogen/memogen/codecs/raw"
)

type (
	id   string
	blob []byte
)

func TestRoundTripsNamedStringAndBytes(t *testing.T) {
	var c raw.Codec
	b, err := c.Marshal(id("user-7"))
	if err != nil || string(b) != "user-7" {
		t.Fatalf("Marshal(id) = %q, %v; want \"user-7\", nil", b, err)
	}
	var gotID id
	if err := c.Unmarshal(b, &gotID); err != nil || gotID != "user-7" {
		t.Errorf("Unmarshal into *id = %q, %v; want \"user-7\", nil", gotID, err)
	}
	b, err = c.Marshal(blob{1, 2})
	if err != nil || !bytes.Equal(b, []byte{1, 2}) {
		t.Fatalf("Marshal(blob) = %v, %v; want [1 2], nil", b, err)
	}
	var gotBlob blob
	if err := c.Unmarshal(b, &gotBlob); err != nil || !bytes.Equal(gotBlob, blob{1, 2}) {
		t.Errorf("Unmarshal into *blob = %v, %v; want [1 2], nil", gotBlob, err)
	}
	b[0] = 9
	if gotBlob[0] != 1 {
		t.Error("Unmarshal kept a reference to its input")
	}
}

func TestRefusesOtherKinds(t *testing.T) {
	var c raw.Codec
	if _, err := c.Marshal(42); err == nil {
		t.Error("Marshal(42) = nil error; want the raw codec to refuse an int")
	}
	var n int
	if err := c.Unmarshal([]byte("42"), &n); err == nil {
		t.Error("Unmarshal into *int = nil error; want a refusal")
	}
}
