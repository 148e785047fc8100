/*
 * applet.h - the applets' entry points, declared from the one list
 * (applets.h): int prep_x_main(int argc, char **argv), argv[0] the command
 * name. Each returns the exit status of DESIGN.md section 2.
 */
#ifndef PREPBOX_APPLET_H
#define PREPBOX_APPLET_H

#define APPLET(cmd, cname, step) int cname##_main(int argc, char **argv);
#include "applets.h"
#undef APPLET

#endif
