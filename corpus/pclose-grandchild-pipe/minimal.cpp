#include <cstdio>
#include <cstdlib>

FILE* g_agent;

int main() {
    // The backgrounded sleep inherits the pipe to cat, so cat never sees EOF,
    // the shell never exits, and pclose() waits for it forever.
    g_agent = popen("{ sleep 600 & echo ready; } | cat", "r");
    char line[16];
    if (!std::fgets(line, sizeof line, g_agent)) return 1;
    std::atexit([] { pclose(g_agent); });
}
