#!/usr/bin/env bash
# mpirun on node 0 of the netns test cluster (../shared/tools/netns-cluster) with the flags
# that spread ranks over the namespaces, like the tools' cluster-mpirun.sh but without its
# hostfile: the caller passes --hostfile (launch/run.sh with HOSTFILE, e.g. the per-attempt
# hostfile of ssd supervise). Use as MPIRUN=scripts/netns-mpirun.sh; same environment knobs as
# the netns tools (NETNS_CLUSTER_PREFIX, NETNS_CLUSTER_SUBNET, NETNS_CLUSTER_TOOLS).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=${NETNS_CLUSTER_TOOLS:-$(cd "$root/.." && pwd)/shared/tools/netns-cluster}
source "$tools/common.sh"
export NETNS_CLUSTER_PREFIX=$NC_PREFIX NETNS_CLUSTER_SUBNET=$NC_SUBNET NETNS_CLUSTER_STATE=$NC_STATE NETNS_CLUSTER_UTS=$NC_UTS
export OMPI_MCA_pml=${OMPI_MCA_pml:-ob1}
export OMPI_MCA_btl=${OMPI_MCA_btl:-tcp,self}
export OMPI_MCA_btl_tcp_if_include=${OMPI_MCA_btl_tcp_if_include:-$NC_SUBNET.0/24}
export OMPI_MCA_oob_tcp_if_include=${OMPI_MCA_oob_tcp_if_include:-$NC_SUBNET.0/24}
exec "$tools/node-exec.sh" 0 mpirun \
    --mca plm_rsh_agent "$tools/agent.sh" \
    --mca plm_rsh_no_tree_spawn 1 \
    "$@"
