package s3

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/memogen/memogen/runtime/store"
)

// tagsFolder holds the record of tags, beside the entries: an empty object
// <prefix>/.memogen/tags/<tag>/<import path>/<Func> for each function
// carrying the tag. No import path starts with a dot, so no entry lives
// there, and no listing of entries takes such an object for one: its last
// name is not a digest.
const tagsFolder = ".memogen/tags/"

var _ store.Tagger = (*Store)(nil)

// tagFolder returns the folder of tag's objects.
func (s *Store) tagFolder(tag string) (string, error) {
	if !validName(tag) {
		return "", fmt.Errorf("s3: tag %q: want one name without slashes", tag)
	}
	return s.root + tagsFolder + tag + "/", nil
}

// AddTag puts the empty object that records fn under tag.
func (s *Store) AddTag(ctx context.Context, tag string, fn store.FuncID) error {
	folder, err := s.tagFolder(tag)
	if err != nil {
		return err
	}
	if !validPath(fn.Package) || !validName(fn.Name) {
		return fmt.Errorf("s3: function %q: want an import path and a name", fn)
	}
	name := folder + fn.Package + "/" + fn.Name
	_, err = s.client.PutObject(ctx, &awss3.PutObjectInput{
		Bucket:        &s.bucket,
		Key:           &name,
		Body:          bytes.NewReader(nil),
		ContentLength: aws.Int64(0),
	})
	if err != nil {
		return fmt.Errorf("s3: tag %s: %w", tag, err)
	}
	return nil
}

// Tagged lists tag's folder; each object's name is a function's.
func (s *Store) Tagged(ctx context.Context, tag string) ([]store.FuncID, error) {
	folder, err := s.tagFolder(tag)
	if err != nil {
		return nil, err
	}
	var fns []store.FuncID
	for page, err := range s.pages(ctx, folder) {
		if err != nil {
			return fns, err
		}
		for _, o := range page {
			rest := strings.TrimPrefix(aws.ToString(o.Key), folder)
			slash := strings.LastIndexByte(rest, '/')
			if slash > 0 && slash < len(rest)-1 {
				fns = append(fns, store.FuncID{Package: rest[:slash], Name: rest[slash+1:]})
			}
		}
	}
	return fns, nil
}
