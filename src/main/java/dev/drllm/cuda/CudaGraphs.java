package dev.drllm.cuda;

import dev.drllm.cuda.bind.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.drllm.cuda.CudaContext.check;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA graph calls the decoder uses: stream capture (whole graphs, or segments captured into an
 * existing graph after given nodes), SWITCH conditional nodes ({@code cuGraphAddNode_v2} with a
 * {@code CUgraphNodeParams} of type CONDITIONAL), instantiation, launch and per-node enabling.
 */
final class CudaGraphs {
    private CudaGraphs() {}

    static MemorySegment captureWhole(CudaContext cu, Runnable body) {
        cu.bind();
        check("cuStreamBeginCapture_v2", cuda_h.cuStreamBeginCapture_v2(cu.stream(), cuda_h.CU_STREAM_CAPTURE_MODE_RELAXED()));
        try {
            body.run();
        } finally {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment g = a.allocate(ADDRESS);
                check("cuStreamEndCapture", cuda_h.cuStreamEndCapture(cu.stream(), g));
                return g.get(ADDRESS, 0);
            }
        }
    }

    /** Captures {@code body} into {@code graph} after {@code deps}; returns the new leaf nodes. */
    static List<MemorySegment> captureInto(CudaContext cu, MemorySegment graph, List<MemorySegment> deps, Runnable body) {
        cu.bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = nodes(a, deps);
            check("cuStreamBeginCaptureToGraph", cuda_h.cuStreamBeginCaptureToGraph(cu.stream(), graph, d, MemorySegment.NULL,
                    deps.size(), cuda_h.CU_STREAM_CAPTURE_MODE_RELAXED()));
            List<MemorySegment> leaves = new ArrayList<>();
            try {
                body.run();
                MemorySegment status = a.allocate(JAVA_INT), id = a.allocate(JAVA_LONG), g = a.allocate(ADDRESS);
                MemorySegment depsOut = a.allocate(ADDRESS), edgesOut = a.allocate(ADDRESS), n = a.allocate(JAVA_LONG);
                check("cuStreamGetCaptureInfo_v3", cuda_h.cuStreamGetCaptureInfo_v3(cu.stream(), status, id, g, depsOut, edgesOut, n));
                long count = n.get(JAVA_LONG, 0);
                MemorySegment arr = depsOut.get(ADDRESS, 0).reinterpret(8 * Math.max(count, 1));
                for (long i = 0; i < count; i++) leaves.add(arr.getAtIndex(ADDRESS, i));
            } finally {
                MemorySegment g = a.allocate(ADDRESS);
                check("cuStreamEndCapture", cuda_h.cuStreamEndCapture(cu.stream(), g));
            }
            return leaves;
        }
    }

    private static MemorySegment nodes(Arena a, List<MemorySegment> list) {
        if (list.isEmpty()) return MemorySegment.NULL;
        MemorySegment d = a.allocate(ADDRESS, list.size());
        for (int i = 0; i < list.size(); i++) d.setAtIndex(ADDRESS, i, list.get(i));
        return d;
    }

    static MemorySegment create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment g = a.allocate(ADDRESS);
            check("cuGraphCreate", cuda_h.cuGraphCreate(g, 0));
            return g.get(ADDRESS, 0);
        }
    }

    /** A SWITCH node and its handle (default 0 at every launch). */
    record Switch(MemorySegment node, long handle, MemorySegment[] bodies) {}

    static Switch addSwitch(CudaContext cu, MemorySegment graph, List<MemorySegment> deps, int size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(JAVA_LONG);
            check("cuGraphConditionalHandleCreate", cuda_h.cuGraphConditionalHandleCreate(h, graph, cu.context(), 0,
                    cuda_h.CU_GRAPH_COND_ASSIGN_DEFAULT()));
            long handle = h.get(JAVA_LONG, 0);
            MemorySegment p = a.allocate(cuda_h.CUgraphNodeParams_SIZE, 8);
            p.set(JAVA_INT, cuda_h.CUgraphNodeParams_type, cuda_h.CU_GRAPH_NODE_TYPE_CONDITIONAL());
            p.set(JAVA_LONG, cuda_h.CUgraphNodeParams_conditional_handle, handle);
            p.set(JAVA_INT, cuda_h.CUgraphNodeParams_conditional_type, cuda_h.CU_GRAPH_COND_TYPE_SWITCH());
            p.set(JAVA_INT, cuda_h.CUgraphNodeParams_conditional_size, size);
            p.set(ADDRESS, cuda_h.CUgraphNodeParams_conditional_ctx, cu.context());
            MemorySegment node = a.allocate(ADDRESS);
            check("cuGraphAddNode_v2(conditional)", cuda_h.cuGraphAddNode_v2(node, graph, nodes(a, deps), MemorySegment.NULL, deps.size(), p));
            MemorySegment out = p.get(ADDRESS, cuda_h.CUgraphNodeParams_conditional_phGraph_out).reinterpret(8L * size);
            MemorySegment[] bodies = new MemorySegment[size];
            for (int i = 0; i < size; i++) bodies[i] = out.getAtIndex(ADDRESS, i);
            return new Switch(node.get(ADDRESS, 0), handle, bodies);
        }
    }

    /** The nodes of a graph captured from one stream, which form a chain, in launch order. */
    static List<MemorySegment> chain(MemorySegment graph) {
        List<MemorySegment> out = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_LONG);
            check("cuGraphGetRootNodes", cuda_h.cuGraphGetRootNodes(graph, MemorySegment.NULL, n));
            if (n.get(JAVA_LONG, 0) != 1) throw new IllegalStateException("captured graph has " + n.get(JAVA_LONG, 0) + " roots, expected a chain");
            MemorySegment one = a.allocate(ADDRESS, 4);
            check("cuGraphGetRootNodes", cuda_h.cuGraphGetRootNodes(graph, one, n));
            MemorySegment cur = one.getAtIndex(ADDRESS, 0);
            while (true) {
                out.add(cur);
                n.set(JAVA_LONG, 0, 4);
                check("cuGraphNodeGetDependentNodes_v2", cuda_h.cuGraphNodeGetDependentNodes_v2(cur, one, MemorySegment.NULL, n));
                long k = n.get(JAVA_LONG, 0);
                if (k == 0) break;
                if (k != 1) throw new IllegalStateException("captured graph branches (" + k + " dependents)");
                cur = one.getAtIndex(ADDRESS, 0);
            }
        }
        return out;
    }

    static MemorySegment instantiate(MemorySegment graph) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(ADDRESS);
            check("cuGraphInstantiateWithFlags", cuda_h.cuGraphInstantiateWithFlags(e, graph, 0));
            return e.get(ADDRESS, 0);
        }
    }

    static void launch(CudaContext cu, MemorySegment exec) {
        check("cuGraphLaunch", cuda_h.cuGraphLaunch(exec, cu.stream()));
    }

    static void setEnabled(MemorySegment exec, MemorySegment node, boolean on) {
        check("cuGraphNodeSetEnabled", cuda_h.cuGraphNodeSetEnabled(exec, node, on ? 1 : 0));
    }

    static void destroy(MemorySegment graph, MemorySegment exec) {
        if (exec != null) cuda_h.cuGraphExecDestroy(exec);
        if (graph != null) cuda_h.cuGraphDestroy(graph);
    }
}
