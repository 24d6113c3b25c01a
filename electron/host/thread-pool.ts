/**
 * Imported first by every host entry point (before anything touches the file system): the
 * libuv pool serves the dataset writer's plane writes, file creation, hashing and uploads of
 * the whole process. Its default of 4 threads lets a few slow file creations stall plane
 * writes, so the host asks for 8 unless the environment already chose a size. libuv reads
 * the variable once, when the pool first starts.
 */
export const threadPoolSize = (process.env.UV_THREADPOOL_SIZE ??= '8');
