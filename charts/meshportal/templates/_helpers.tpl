{{/* Chart name, truncated to fit a DNS label. */}}
{{- define "meshportal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; components append "-portal" / "-gateway", so keep room for them. */}}
{{- define "meshportal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "meshportal.portal.fullname" -}}
{{- printf "%s-portal" (include "meshportal.fullname" .) }}
{{- end }}

{{- define "meshportal.gateway.fullname" -}}
{{- printf "%s-gateway" (include "meshportal.fullname" .) }}
{{- end }}

{{- define "meshportal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels; call with (dict "ctx" $ "component" "portal"). */}}
{{- define "meshportal.labels" -}}
helm.sh/chart: {{ include "meshportal.chart" .ctx }}
{{ include "meshportal.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: meshportal
{{- end }}

{{/* Selector labels; call with (dict "ctx" $ "component" "portal"). */}}
{{- define "meshportal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshportal.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* repository:tag, the tag defaulting to the chart's appVersion; call with (dict "ctx" $ "image" .Values.portal.image). */}}
{{- define "meshportal.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .ctx.Chart.AppVersion | toString) }}
{{- end }}

{{/* https when the portal serves TLS itself (portal.tls.secretName), else http: its URLs' scheme and its port's name. */}}
{{- define "meshportal.portal.scheme" -}}
{{- ternary "https" "http" (ne .Values.portal.tls.secretName "") }}
{{- end }}

{{/* The portal Service's DNS name, which a portal certificate names for the gateways. */}}
{{- define "meshportal.portal.serviceHost" -}}
{{- printf "%s.%s.svc" (include "meshportal.portal.fullname" .) .Release.Namespace }}
{{- end }}

{{/* The portal as seen from inside the cluster. */}}
{{- define "meshportal.portal.serviceUrl" -}}
{{- $port := int .Values.portal.service.port }}
{{- $scheme := include "meshportal.portal.scheme" . }}
{{- if eq $port (ternary 443 80 (eq $scheme "https")) }}
{{- printf "%s://%s" $scheme (include "meshportal.portal.serviceHost" .) }}
{{- else }}
{{- printf "%s://%s:%d" $scheme (include "meshportal.portal.serviceHost" .) $port }}
{{- end }}
{{- end }}

{{/* Gateway__PortalUrl: the override, else the portal Service. */}}
{{- define "meshportal.gateway.portalUrl" -}}
{{- .Values.gateway.portalUrl | default (include "meshportal.portal.serviceUrl" .) }}
{{- end }}

{{/* Portal__PublicUrl: the override, else the Ingress host, else the portal Service. */}}
{{- define "meshportal.portal.publicUrl" -}}
{{- $p := .Values.portal }}
{{- if $p.publicUrl }}
{{- $p.publicUrl }}
{{- else if $p.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" (ne $p.ingress.tlsSecretName "")) $p.ingress.host }}
{{- else }}
{{- include "meshportal.portal.serviceUrl" . }}
{{- end }}
{{- end }}

{{/* The CA of the portal's certificate (gateway.portalCa) as a prometheus-operator SecretOrConfigMap under "ca:"; nothing when not given. */}}
{{- define "meshportal.portalCaSource" -}}
{{- $ca := .Values.gateway.portalCa }}
{{- if $ca.secretName }}
ca:
  secret:
    name: {{ $ca.secretName | quote }}
    key: {{ $ca.key | quote }}
{{- else if $ca.configMapName }}
ca:
  configMap:
    name: {{ $ca.configMapName | quote }}
    key: {{ $ca.key | quote }}
{{- end }}
{{- end }}
