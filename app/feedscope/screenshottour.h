// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class MainWindow;
class QWidget;

namespace Feedscope::Ui {
class FeedDesigner;
}

namespace Feedscope {
class Workspace;
}

// Walks the main screens once the demo is flowing and saves a PNG of each into a directory
// (scripts/screenshots.sh runs it under Xvfb; the best ones go to docs/). Quits when done.
class ScreenshotTour : public QObject
{
    Q_OBJECT

public:
    ScreenshotTour(MainWindow *window, Feedscope::Workspace *workspace, const QString &directory);

private:
    using Step = std::function<void()>;
    void waitForDemo();
    void run(int index);
    // A PNG of `widget` (the main window when null).
    void shot(const QString &name, QWidget *widget = nullptr);

    MainWindow *m_window;
    Feedscope::Workspace *m_workspace;
    QString m_directory;
    QList<std::pair<int, Step>> m_steps; // delay before the step, the step
    int m_waited = 0;
    QPointer<Feedscope::Ui::FeedDesigner> m_designer;
};
