#pragma once
// OpenGL 3.3 core entry points. Mesa's and NVIDIA's libGL export every core function directly, so
// no loader is needed on Linux. Include this instead of <GL/gl.h>. Main thread only.
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
