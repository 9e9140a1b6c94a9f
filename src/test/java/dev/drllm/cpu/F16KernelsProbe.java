package dev.drllm.cpu;

/**
 * Run in a fresh JVM by {@link CpuKernelsTest} with a narrower vector species than the machine's
 * ({@code -XX:MaxVectorSize=32}: the 8-lane kernels an AVX2 machine runs) and the vector bodies
 * fixed ({@code -Ddrllm.kernels=vector}): the F16 kernel tests (every half widened, products
 * against f64 on subnormals, ±0, ±inf, NaN and activations of 2^16 or more, every product path
 * against its scalar twin). Prints {@code lanes=N ok}, or throws.
 */
public final class F16KernelsProbe {
    public static void main(String[] args) {
        new CpuKernelsTest().f16ConversionIsExactForEveryHalf();
        new CpuKernelsTest().f16ProductsAreExactOnSubnormalsZerosInfinitiesAndNaN();
        new ScalarKernelsTest().f16ProductsOnSpecialHalvesMatchTheirTwins();
        new ScalarKernelsTest().matrixProductsForEveryDtypeAndTail();
        System.out.println("lanes=" + CpuKernels.LANES + " ok");
    }
}
