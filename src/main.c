#include "cli.h"
#include <malloc.h>

int main(int argc, char **argv)
{
    /* cairo copies each CJK font's whole CFF table (about 16 MB) every time
     * it subsets it; keeping such blocks on the heap lets the next PDF reuse
     * the pages instead of faulting in fresh ones */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return cli_main(argc, argv, stdout, stderr);
}
