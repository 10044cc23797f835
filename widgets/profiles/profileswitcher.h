// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QComboBox>
#include <QPointer>

namespace Feedscope {
class Workspace;
}

namespace Feedscope::Ui {

// The toolbar's profile box: Local engine, ~/.wskprops and the named profiles, the one in use
// selected. Choosing another emits switchRequested(); the main window decides (it may ask about
// unsaved editors first) and the box follows the workspace.
class ProfileSwitcher : public QComboBox
{
    Q_OBJECT

public:
    explicit ProfileSwitcher(Workspace *workspace, QWidget *parent = nullptr);

    void refresh();

Q_SIGNALS:
    void switchRequested(const QString &profile);

private:
    QPointer<Workspace> m_workspace;
    bool m_refreshing = false;
};

} // namespace Feedscope::Ui
