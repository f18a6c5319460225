# Sourced by the benchmarks that start a server of their own and call it with the AWS CLI v2.
# free_port: a free TCP port on 127.0.0.1. bench_keys ID SECRET: the server's root keys (STEVEDORE_*),
# which the CLI signs with too, in us-east-1 and with none of the caller's profiles or credentials.
# aws: the CLI against the server on 127.0.0.1:$port, answering JSON. median LIST: of space-separated numbers.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
bench_keys() {
  export STEVEDORE_ACCESS_KEY_ID=$1 STEVEDORE_SECRET_ACCESS_KEY=$2
  export AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
  export AWS_CONFIG_FILE=/nonexistent/config AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials
}
aws() { /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --output json "$@"; }
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
