// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/entityref.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QMenu;
class QPushButton;
class QTextBrowser;

namespace Feedscope {
class Workspace;
}

namespace Feedscope::Ui {

// The first thing a new user sees: what the demo is (one feed per pattern, all flowing into
// the explorer's counters), where to look, and how to point Feedscope at their own OpenWhisk.
class WelcomePanel : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePanel(Workspace *workspace, QWidget *parent = nullptr);

    QTextBrowser *text() const { return m_text; }
    QLabel *demoStatus() const { return m_demoStatus; }

    // The patterns the "Design a feed…" button offers (the main window's File menu entries).
    void setDesignMenu(QMenu *menu);

Q_SIGNALS:
    void openRequested(const Feedscope::Ui::EntityRef &entity);
    void profilesRequested();
    void newRequested(Feedscope::ExplorerEntry::Kind kind);

private:
    void update();

    QPointer<Workspace> m_workspace;
    QTextBrowser *m_text;
    QLabel *m_demoStatus;
    QPushButton *m_openTick;
    QPushButton *m_profiles;
    QPushButton *m_newTrigger;
    QPushButton *m_design;
};

} // namespace Feedscope::Ui
