package dev.stevedore.scheduler.placement;

import java.util.Arrays;

/**
 * The live instances sorted by a resource (remaining CPU or memory), by ARN hash, or by nothing,
 * in partitions by launch-type pool and, optionally, by the value of one attribute: the index
 * behind {@code binpack} (the fullest instance that still fits comes first), {@code spread} over an
 * attribute (one partition per value), and the tie-break (candidates in {@link Ranking#tie} order,
 * see {@link #seek}).
 *
 * <p>Each partition is a treap whose nodes are the instance slots themselves, keyed by
 * (resource, slot) and balanced by the hash of the instance's ARN: no allocation on insert or
 * delete, O(log n) per change, and an ascending walk from any key. Every node also knows the most
 * CPU and the most memory left on any instance below it, so a walk skips whole subtrees that
 * cannot hold the task: without that, instances out of CPU but with memory left (or the reverse)
 * would be visited and rejected by every request as a cluster fills. A node's fields sit side by
 * side in one array, because a walk over a level of equal keys is a chain of dependent reads.
 *
 * <p>A walk ({@link #seek} then {@link #next}) must finish before the order changes; one walk at
 * a time.
 */
final class Order {

    private static final int NIL = -1;

    // A node's fields, at node * STRIDE + field.
    private static final int LEFT = 0;
    private static final int RIGHT = 1;
    private static final int KEY = 2;
    /** The instance's CPU and memory when it was inserted (an instance is re-inserted when they change). */
    private static final int CPU = 3;
    private static final int MEMORY = 4;
    /** The most CPU and memory of any instance in the node's subtree. */
    private static final int MAX_CPU = 5;
    private static final int MAX_MEMORY = 6;
    /** The partition the slot was inserted into, NIL when it is not in the order. */
    private static final int PARTITION = 7;
    private static final int STRIDE = 8;

    final OrderBy by;
    /** The attribute partitioning the order; {@link AttributeColumns#ABSENT} when there is none. */
    private final AttributeColumns.Column column;
    private final ClusterState state;
    private int[] nodes;
    private int[] roots = new int[0];
    private int[] stack = new int[64];
    private int depth;
    private int needCpu;
    private int needMemory;

    Order(ClusterState state, AttributeColumns.Column column, OrderBy by, int capacity) {
        this.state = state;
        this.column = column;
        this.by = by;
        nodes = new int[0];
        ensureCapacity(capacity);
    }

    /** What an order sorts by within a partition. */
    enum OrderBy {
        CPU, MEMORY,
        /** The ARN hash, unsigned; every key is 0. */
        HASH,
        NOTHING
    }

    void ensureCapacity(int capacity) {
        int old = nodes.length / STRIDE;
        if (capacity > old) {
            nodes = Arrays.copyOf(nodes, capacity * STRIDE);
            for (int i = old; i < capacity; i++) {
                nodes[i * STRIDE + PARTITION] = NIL;
            }
        }
    }

    /** The partition of an attribute value id (0 = absent) within a pool. */
    static int partition(int valueId, boolean external) {
        return (valueId << 1) | (external ? 1 : 0);
    }

    boolean isEmpty(int partition) {
        return partition >= roots.length || roots[partition] == NIL;
    }

    /** The sort key slot {@code i} has in the order. */
    int key(int i) {
        return nodes[i * STRIDE + KEY];
    }

    void insert(int i) {
        int p = partition(column.id(i), state.external[i]);
        if (p >= roots.length) {
            int old = roots.length;
            roots = Arrays.copyOf(roots, Math.max(p + 1, old * 2));
            Arrays.fill(roots, old, roots.length, NIL);
        }
        int at = i * STRIDE;
        nodes[at + CPU] = state.cpu[i];
        nodes[at + MEMORY] = state.memory[i];
        nodes[at + KEY] = switch (by) {
            case CPU -> state.cpu[i];
            case MEMORY -> state.memory[i];
            case HASH, NOTHING -> 0;
        };
        nodes[at + LEFT] = NIL;
        nodes[at + RIGHT] = NIL;
        nodes[at + PARTITION] = p;
        pull(i);
        roots[p] = insert(roots[p], i);
    }

    void delete(int i) {
        int p = nodes[i * STRIDE + PARTITION];
        if (p != NIL) {
            roots[p] = delete(roots[p], i);
            nodes[i * STRIDE + PARTITION] = NIL;
        }
    }

    private int left(int x) {
        return nodes[x * STRIDE + LEFT];
    }

    private int right(int x) {
        return nodes[x * STRIDE + RIGHT];
    }

    private void setLeft(int x, int child) {
        nodes[x * STRIDE + LEFT] = child;
    }

    private void setRight(int x, int child) {
        nodes[x * STRIDE + RIGHT] = child;
    }

    private boolean less(int a, int b) {
        if (by == OrderBy.HASH) {
            int c = Long.compareUnsigned(state.arnHashes[a], state.arnHashes[b]);
            return c < 0 || (c == 0 && a < b);
        }
        int ka = key(a);
        int kb = key(b);
        return ka < kb || (ka == kb && a < b);
    }

    /**
     * Heap order on the ARN hash (then the slot, for equal hashes): random, so the treap stays
     * shallow. An order sorted by the hash itself takes the hash's bits reversed instead, which are
     * as random next to the sort order as the hash is next to a resource.
     */
    private boolean above(int a, int b) {
        long ha = priority(a);
        long hb = priority(b);
        return ha > hb || (ha == hb && a < b);
    }

    private long priority(int i) {
        return by == OrderBy.HASH ? Long.reverse(state.arnHashes[i]) : state.arnHashes[i];
    }

    /** Recomputes a node's subtree maxima from its own values and its children's. */
    private void pull(int x) {
        int at = x * STRIDE;
        int c = nodes[at + CPU];
        int m = nodes[at + MEMORY];
        int l = nodes[at + LEFT];
        int r = nodes[at + RIGHT];
        if (l != NIL) {
            c = Math.max(c, nodes[l * STRIDE + MAX_CPU]);
            m = Math.max(m, nodes[l * STRIDE + MAX_MEMORY]);
        }
        if (r != NIL) {
            c = Math.max(c, nodes[r * STRIDE + MAX_CPU]);
            m = Math.max(m, nodes[r * STRIDE + MAX_MEMORY]);
        }
        nodes[at + MAX_CPU] = c;
        nodes[at + MAX_MEMORY] = m;
    }

    private int insert(int root, int x) {
        if (root == NIL) {
            return x;
        }
        if (less(x, root)) {
            setLeft(root, insert(left(root), x));
            int l = left(root);
            if (above(l, root)) {
                setLeft(root, right(l));
                setRight(l, root);
                pull(root);
                pull(l);
                return l;
            }
        } else {
            setRight(root, insert(right(root), x));
            int r = right(root);
            if (above(r, root)) {
                setRight(root, left(r));
                setLeft(r, root);
                pull(root);
                pull(r);
                return r;
            }
        }
        pull(root);
        return root;
    }

    private int delete(int root, int x) {
        if (root == x) {
            return merge(left(x), right(x));
        }
        if (less(x, root)) {
            setLeft(root, delete(left(root), x));
        } else {
            setRight(root, delete(right(root), x));
        }
        pull(root);
        return root;
    }

    private int merge(int a, int b) {
        if (a == NIL) {
            return b;
        }
        if (b == NIL) {
            return a;
        }
        if (above(a, b)) {
            setRight(a, merge(right(a), b));
            pull(a);
            return a;
        }
        setLeft(b, merge(a, left(b)));
        pull(b);
        return b;
    }

    /** Whether some instance in the subtree has the CPU and the memory the walk needs. */
    private boolean mayHold(int node) {
        int at = node * STRIDE;
        return nodes[at + MAX_CPU] >= needCpu && nodes[at + MAX_MEMORY] >= needMemory;
    }

    /**
     * Starts a walk over the partition's instances from {@code from} on, in sort order, that have
     * at least {@code cpu} CPU units and {@code memory} MiB left. {@code from} is the least key, or
     * in an order by {@link OrderBy#HASH} the least ARN hash (unsigned).
     */
    void seek(int partition, long from, int cpu, int memory) {
        depth = 0;
        needCpu = cpu;
        needMemory = memory;
        int node = partition < roots.length ? roots[partition] : NIL;
        while (node != NIL && mayHold(node)) {
            if (atOrAfter(node, from)) {
                push(node);
                node = left(node);
            } else {
                node = right(node);
            }
        }
    }

    private boolean atOrAfter(int node, long from) {
        return by == OrderBy.HASH ? Long.compareUnsigned(state.arnHashes[node], from) >= 0 : key(node) >= from;
    }

    /** The walk's next slot, or -1 when it is over. */
    int next() {
        while (depth > 0) {
            int node = stack[--depth];
            for (int n = right(node); n != NIL && mayHold(n); n = left(n)) {
                push(n);
            }
            int at = node * STRIDE;
            if (nodes[at + CPU] >= needCpu && nodes[at + MEMORY] >= needMemory) {
                return node;
            }
        }
        return NIL;
    }

    private void push(int node) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = node;
    }
}
