// SPDX-License-Identifier: GPL-3.0-or-later
// Feedscope: design, drive and watch Apache OpenWhisk feeds (README.md).
#include "common/theme.h"
#include "headlessrun.h"
#include "mainwindow.h"
#include "screenshottour.h"
#include "startupprobe.h"
#include "workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace Feedscope;

namespace {

// Whether to run without a window: asked for, or nothing to show a window on.
bool headlessRequested(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0 || std::strcmp(argv[i], "--engine") == 0)
            return true;
    }
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return false;
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

struct Options
{
    WorkspaceOptions workspace;
    QString screenshots;
};

Options parse(QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Feedscope: design, drive and watch Apache OpenWhisk feeds."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(
        QStringList{QStringLiteral("headless"), QStringLiteral("engine")},
        QStringLiteral("No window: run the local engine and the demo until "
                       "Ctrl-C (also the default without a display)."));
    const QCommandLineOption state(
        QStringLiteral("state"),
        QStringLiteral("Directory for Feedscope's state (default: the user's "
                       "application data directory)."),
        QStringLiteral("dir"));
    const QCommandLineOption profiles(QStringLiteral("profiles"),
                                      QStringLiteral("The profiles file (default: the user's)."),
                                      QStringLiteral("file"));
    const QCommandLineOption engineData(QStringLiteral("engine-data"),
                                        QStringLiteral("The local engine's data directory."),
                                        QStringLiteral("dir"));
    const QCommandLineOption enginePort(QStringLiteral("engine-port"),
                                        QStringLiteral("The local engine's port (default 3233)."),
                                        QStringLiteral("port"));
    const QCommandLineOption noDemo(QStringLiteral("no-demo"),
                                    QStringLiteral("Do not deploy the demo workspace."));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QStringLiteral("Walk the main screens, save a PNG of each into "
                       "this directory, and quit."),
        QStringLiteral("dir"));
    parser.addOptions({headless, state, profiles, engineData, enginePort, noDemo, screenshots});
    parser.process(app);
    Options o;
    o.workspace.stateDirectory = parser.value(state);
    o.workspace.profilesPath = parser.value(profiles);
    o.workspace.engineDataDirectory = parser.value(engineData);
    if (parser.isSet(enginePort))
        o.workspace.enginePort = quint16(parser.value(enginePort).toUInt());
    o.workspace.demo = !parser.isSet(noDemo);
    o.screenshots = parser.value(screenshots);
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("feedscope"));
    QCoreApplication::setApplicationName(QStringLiteral("feedscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FEEDSCOPE_VERSION));

    if (headlessRequested(argc, argv)) {
        QCoreApplication app(argc, argv);
        const Options options = parse(app);
        if (qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            std::printf(
                "No display (DISPLAY and WAYLAND_DISPLAY are unset): running the engine and the "
                "demo without a window.\n");
        Workspace workspace(options.workspace);
        HeadlessRun run(&workspace);
        workspace.start();
        const int status = QCoreApplication::exec();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return status;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Feedscope"));
    QApplication::setWindowIcon(Ui::Theme::appIcon());
    QApplication::setDesktopFileName(QStringLiteral("feedscope"));
    const Options options = parse(app);
    // Keep going after the last window closed: closing stops the engine first, then quits.
    QApplication::setQuitOnLastWindowClosed(false);
    Workspace workspace(options.workspace);
    MainWindow window(&workspace);
    if (qEnvironmentVariableIsSet("FEEDSCOPE_STARTUP_PROBE"))
        new StartupProbe(&window, &workspace);
    if (!options.screenshots.isEmpty())
        new ScreenshotTour(&window, &workspace, options.screenshots);
    window.show();
    workspace.start();
    const int status = QApplication::exec();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return status;
}
