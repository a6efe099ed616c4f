{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "gemini-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, plus the chart name unless the release name contains it. */}}
{{- define "gemini-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gemini-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gemini-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gemini-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gemini-gateway.labels" -}}
helm.sh/chart: {{ include "gemini-gateway.chart" . }}
{{ include "gemini-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Secret holding secret.yml: the user's own, or the one this chart renders. */}}
{{- define "gemini-gateway.secretName" -}}
{{- default (include "gemini-gateway.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* The gateway.* configuration: .Values.gateway, with the Redis limit store when redis.url is set. */}}
{{- define "gemini-gateway.applicationConfig" -}}
{{- $gateway := deepCopy (default (dict) .Values.gateway) }}
{{- if .Values.redis.url }}
{{- $limits := deepCopy (default (dict) (get $gateway "limits")) }}
{{- $_ := set $limits "store" "redis" }}
{{- $_ := set $gateway "limits" $limits }}
{{- end }}
{{- if $gateway }}
{{- toYaml (dict "gateway" $gateway) }}
{{- else -}}
# gateway: nothing set in .Values.gateway
{{- end }}
{{- end }}
