// Command render renders a Helm chart the way `helm template` does, for tests on machines that
// cannot download Helm. It uses what Helm's engine is built from (text/template, sprig's function
// map, gopkg.in/yaml.v2, gojsonschema, Masterminds/semver), all Debian packages, so a template
// that Helm would reject or render differently fails here too.
//
//	render [-f values.yaml]... [--set a.b=value]... [--name R] [--namespace N] [--kube-version v1.31.0] CHART
//
// Not covered, because the chart does not use them: subcharts, .Files, toToml, --api-versions.
// Objects come out in file order, not sorted by kind as Helm prints them.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v2"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var files, sets list
	flag.Var(&files, "f", "values file merged over the chart's values.yaml (repeatable)")
	flag.Var(&sets, "set", "a.b=value merged last (repeatable)")
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kube := flag.String("kube-version", "v1.31.0", "Kubernetes version for .Capabilities and Chart.yaml kubeVersion")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: render [-f values.yaml]... [--set a.b=v]... [--name R] [--namespace N] [--kube-version V] CHART")
		os.Exit(2)
	}
	out, err := render(flag.Arg(0), files, sets, *name, *namespace, *kube)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	fmt.Print(out)
}

// Metadata is Chart.yaml with Helm's Go field names, so templates read .Chart.Name, .Chart.AppVersion.
type Metadata struct {
	APIVersion  string            `yaml:"apiVersion"`
	Name        string            `yaml:"name"`
	Version     string            `yaml:"version"`
	KubeVersion string            `yaml:"kubeVersion"`
	Description string            `yaml:"description"`
	Type        string            `yaml:"type"`
	Keywords    []string          `yaml:"keywords"`
	Home        string            `yaml:"home"`
	Sources     []string          `yaml:"sources"`
	Icon        string            `yaml:"icon"`
	AppVersion  string            `yaml:"appVersion"`
	Deprecated  bool              `yaml:"deprecated"`
	Annotations map[string]string `yaml:"annotations"`
}

// KubeVersion and APIVersions mirror Helm's chartutil.Capabilities.
type KubeVersion struct{ Version, Major, Minor string }

func (k KubeVersion) String() string     { return k.Version }
func (k KubeVersion) GitVersion() string { return k.Version }

type APIVersions []string

func (a APIVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

func render(chartDir string, files, sets []string, name, namespace, kube string) (string, error) {
	var meta Metadata
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &meta); err != nil {
		return "", err
	}
	kv, err := semver.NewVersion(kube)
	if err != nil {
		return "", fmt.Errorf("--kube-version: %w", err)
	}
	// Helm refuses a chart whose kubeVersion constraint the cluster does not meet.
	if meta.KubeVersion != "" {
		c, err := semver.NewConstraint(meta.KubeVersion)
		if err != nil || !c.Check(kv) {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", meta.KubeVersion, kube)
		}
	}
	values, err := loadValues(chartDir, files, sets)
	if err != nil {
		return "", err
	}
	if err := validateSchema(chartDir, values); err != nil {
		return "", err
	}
	top := map[string]interface{}{
		"Values":  values,
		"Chart":   meta,
		"Release": map[string]interface{}{"Name": name, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": map[string]interface{}{
			"KubeVersion": KubeVersion{Version: "v" + kv.String(), Major: fmt.Sprint(kv.Major()), Minor: fmt.Sprint(kv.Minor())},
			// The groups of the objects this chart writes; CRDs are absent, as under helm template.
			"APIVersions": APIVersions{"v1", "apps/v1", "policy/v1", "networking.k8s.io/v1"},
		},
	}
	return renderTemplates(chartDir, meta.Name, top)
}

// loadValues coalesces like Helm: values.yaml, then each -f file, then --set; maps merge key by
// key, anything else replaces, and a null removes the key.
func loadValues(chartDir string, files, sets []string) (map[string]interface{}, error) {
	values := map[string]interface{}{}
	for _, f := range append([]string{filepath.Join(chartDir, "values.yaml")}, files...) {
		var v map[string]interface{}
		if err := readYAML(f, &v); err != nil {
			return nil, err
		}
		merge(values, v)
	}
	for _, s := range sets {
		key, raw, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--set %q: want key=value", s)
		}
		var leaf interface{}
		if err := yaml.Unmarshal([]byte(raw), &leaf); err != nil {
			return nil, fmt.Errorf("--set %q: %w", s, err)
		}
		parts := strings.Split(key, ".")
		override := map[string]interface{}{parts[len(parts)-1]: leaf}
		for i := len(parts) - 2; i >= 0; i-- {
			override = map[string]interface{}{parts[i]: override}
		}
		merge(values, jsonShaped(override).(map[string]interface{}))
	}
	return values, nil
}

func merge(dst, src map[string]interface{}) {
	for k, v := range src {
		sub, isMap := v.(map[string]interface{})
		existing, wasMap := dst[k].(map[string]interface{})
		switch {
		case v == nil:
			delete(dst, k)
		case isMap && wasMap:
			merge(existing, sub)
		default:
			dst[k] = v
		}
	}
}

// readYAML reads YAML as Helm does (sigs.k8s.io/yaml: YAML to JSON, then JSON), so maps have string
// keys and numbers are float64 exactly as templates see them under Helm.
func readYAML(file string, out interface{}) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if _, isMeta := out.(*Metadata); isMeta {
		return yaml.Unmarshal(data, out)
	}
	j, err := json.Marshal(jsonShaped(raw))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return json.Unmarshal(j, out)
}

func jsonShaped(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, x := range t {
			m[fmt.Sprint(k)] = jsonShaped(x)
		}
		return m
	case map[string]interface{}:
		for k, x := range t {
			t[k] = jsonShaped(x)
		}
		return t
	case []interface{}:
		for i, x := range t {
			t[i] = jsonShaped(x)
		}
		return t
	}
	return v
}

// validateSchema applies values.schema.json to the coalesced values, as Helm does before rendering.
func validateSchema(chartDir string, values map[string]interface{}) error {
	schema, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewGoLoader(values))
	if err != nil {
		return fmt.Errorf("values.schema.json: %w", err)
	}
	if result.Valid() {
		return nil
	}
	var b strings.Builder
	b.WriteString("values don't meet the specifications of the schema(s) in the following chart(s):")
	for _, e := range result.Errors() {
		fmt.Fprintf(&b, "\n- %s", e)
	}
	return errors.New(b.String())
}

var docSeparator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

func renderTemplates(chartDir, chartName string, top map[string]interface{}) (string, error) {
	paths, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	root := template.New(chartName)
	funcs := funcMap(root)
	// missingkey=zero is Helm's option; Helm then blanks the "<no value>" it leaves.
	root.Funcs(funcs).Option("missingkey=zero")
	var names []string
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		n := path.Join(chartName, "templates", filepath.Base(p))
		if _, err := root.New(n).Parse(string(text)); err != nil {
			return "", err
		}
		// Partials only define templates; NOTES.txt is rendered by Helm but not part of the manifest.
		base := filepath.Base(p)
		if !strings.HasPrefix(base, "_") && base != "NOTES.txt" {
			names = append(names, n)
		}
	}
	var out strings.Builder
	for _, n := range names {
		top["Template"] = map[string]interface{}{"Name": n, "BasePath": path.Join(chartName, "templates")}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, n, top); err != nil {
			return "", err
		}
		for _, doc := range docSeparator.Split(strings.ReplaceAll(buf.String(), "<no value>", ""), -1) {
			if doc = strings.TrimSpace(doc); doc != "" {
				fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", n, doc)
			}
		}
	}
	return out.String(), nil
}

// funcMap is sprig's (minus env and expandenv, which Helm removes) plus Helm's own functions.
func funcMap(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	depth := 0
	f["include"] = func(name string, data interface{}) (string, error) {
		// Helm stops recursion at 1000 nested includes instead of overflowing the stack.
		if depth++; depth > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		defer func() { depth-- }()
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		if _, err := t.New("tpl").Parse(text); err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.ExecuteTemplate(&buf, "tpl", data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if s, ok := v.(string); v == nil || (ok && s == "") {
			return v, errors.New(msg)
		}
		return v, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	// helm template has no cluster: lookup finds nothing.
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	// Through JSON, as sigs.k8s.io/yaml does for Helm: 1e6 prints as 1000000, keys sorted.
	f["toYaml"] = func(v interface{}) string {
		j, err := json.Marshal(v)
		var obj interface{}
		if err == nil {
			err = yaml.Unmarshal(j, &obj)
		}
		data, err2 := yaml.Marshal(obj)
		if err != nil || err2 != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		var m map[string]interface{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return jsonShaped(m).(map[string]interface{})
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		var m map[string]interface{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return m
	}
	return f
}
