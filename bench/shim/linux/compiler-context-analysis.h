#include <ksrc/include/linux/compiler-context-analysis.h>
