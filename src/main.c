#include "cli.h"

#ifdef __SANITIZE_ADDRESS__
/* A sanitizer build of the command is quiet about the library-internal
 * leaks of tests/lsan.supp (which explains them) even when run by hand;
 * the slow unwinder sees through the libraries' frames to match them. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:XML_ParseBuffer\nleak:fonts_add_subsets\nleak:FcFreeTypeCharSet\n";
}
#endif

int main(int argc, char **argv)
{
    return cli_main(argc, argv, stdout, stderr);
}
