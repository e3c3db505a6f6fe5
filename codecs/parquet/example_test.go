package parquet_test

import (
	"bytes"
	"fmt"

	"github.com/memogen/memogen/codecs/parquet"
)

// A table is stored as a Parquet file, and reads back as it was.
func ExampleCodec() {
	type Sale struct {
		Region string `parquet:"region"`
		Units  int64
		Price  float64
	}
	rows := []Sale{{"north", 3, 9.5}, {"south", -1, 0.25}}
	data, err := parquet.Codec{}.Marshal(rows)
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(data, []byte("PAR1")), bytes.HasSuffix(data, []byte("PAR1")))
	var back []Sale
	if err := (parquet.Codec{}).Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", back)
	// Output:
	// true true
	// [{Region:north Units:3 Price:9.5} {Region:south Units:-1 Price:0.25}]
}
