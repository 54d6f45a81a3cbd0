{{/* Names and labels shared by every object. */}}
{{- define "flightdeck.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flightdeck.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "flightdeck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flightdeck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "flightdeck.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "flightdeck.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "flightdeck.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flightdeck.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "flightdeck.secretName" -}}
{{- default (printf "%s-secrets" (include "flightdeck.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "flightdeck.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Runs as the image's non-root node user (uid 1000) with nothing writable but its volumes. */}}
{{- define "flightdeck.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "flightdeck.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Environment of both the app and the migration job: settings, then credentials from the Secret. */}}
{{- define "flightdeck.env" -}}
- name: NODE_ENV
  value: production
- name: PORT
  value: "3000"
- name: FLIGHTDECK_DATA_DIR
  value: /data
- name: FLIGHTDECK_MIGRATE_ON_START
  value: "false"
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: DATABASE_POOL_MAX
  value: {{ .Values.config.databasePoolMax | quote }}
{{- with .Values.config.publicUrl }}
- name: FLIGHTDECK_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
- name: FLIGHTDECK_TRUST_PROXY
  value: {{ .Values.config.trustProxy | quote }}
- name: FLIGHTDECK_LOCAL_LOGIN
  value: {{ .Values.config.localLogin | quote }}
- name: FLIGHTDECK_SHUTDOWN_GRACE_SECONDS
  value: {{ .Values.config.shutdownGraceSeconds | default 10 | quote }}
- name: FLIGHTDECK_SHUTDOWN_DELAY_SECONDS
  value: {{ .Values.config.shutdownDelaySeconds | default 0 | quote }}
- name: FLIGHTDECK_RUNNER
  value: {{ .Values.config.runner.enabled | quote }}
- name: FLIGHTDECK_RUNNER_INTERVAL_MS
  value: {{ .Values.config.runner.intervalMs | quote }}
- name: FLIGHTDECK_RUNNER_LEASE_SECONDS
  value: {{ .Values.config.runner.leaseSeconds | quote }}
- name: FLIGHTDECK_RUNNER_CONCURRENCY
  value: {{ .Values.config.runner.concurrency | quote }}
{{- if .Values.config.oidc.issuer }}
- name: FLIGHTDECK_OIDC_ISSUER
  value: {{ .Values.config.oidc.issuer | quote }}
- name: FLIGHTDECK_OIDC_CLIENT_ID
  value: {{ .Values.config.oidc.clientId | quote }}
- name: FLIGHTDECK_OIDC_NAME
  value: {{ .Values.config.oidc.name | quote }}
- name: FLIGHTDECK_OIDC_SCOPES
  value: {{ .Values.config.oidc.scopes | quote }}
- name: FLIGHTDECK_OIDC_GROUPS_CLAIM
  value: {{ .Values.config.oidc.groupsClaim | quote }}
- name: FLIGHTDECK_OIDC_GROUP_ROLES
  value: {{ .Values.config.oidc.groupRoles | quote }}
- name: FLIGHTDECK_OIDC_GROUP_TEAMS
  value: {{ .Values.config.oidc.groupTeams | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "flightdeck.secretName" . }}
      key: DATABASE_URL
- name: FLIGHTDECK_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "flightdeck.secretName" . }}
      key: FLIGHTDECK_SECRET_KEY
- name: FLIGHTDECK_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "flightdeck.secretName" . }}
      key: FLIGHTDECK_OIDC_CLIENT_SECRET
      optional: true
- name: FLIGHTDECK_ADMIN_EMAIL
  valueFrom:
    secretKeyRef:
      name: {{ include "flightdeck.secretName" . }}
      key: FLIGHTDECK_ADMIN_EMAIL
      optional: true
- name: FLIGHTDECK_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "flightdeck.secretName" . }}
      key: FLIGHTDECK_ADMIN_PASSWORD
      optional: true
{{- end -}}
