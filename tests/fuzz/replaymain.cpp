// A stand-in for libFuzzer's main in ordinary builds: runs every file of the given corpus
// directories (or single files) through LLVMFuzzerTestOneInput once. A crash, sanitizer
// report or abort in the target fails the ctest that runs this. An empty corpus fails too,
// so that a mistyped path cannot make the test pass without testing anything.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static bool runFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return false;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return true;
}

int main(int argc, char** argv)
{
    std::size_t files = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        if (fs::is_directory(arg)) {
            std::vector<fs::path> paths;
            for (const auto& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file()) paths.push_back(entry.path());
            std::sort(paths.begin(), paths.end()); // stable order for reproducible logs
            for (const auto& p : paths)
                files += runFile(p) ? 1 : 0;
        } else if (fs::is_regular_file(arg)) {
            files += runFile(arg) ? 1 : 0;
        } else {
            std::fprintf(stderr, "no such corpus: %s\n", argv[i]);
            return 2;
        }
    }
    std::printf("replayed %zu inputs\n", files);
    return files > 0 ? 0 : 1;
}
