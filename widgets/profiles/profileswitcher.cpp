// SPDX-License-Identifier: GPL-3.0-or-later
#include "profileswitcher.h"

#include "workspace.h"

namespace Feedscope::Ui {

ProfileSwitcher::ProfileSwitcher(Workspace *workspace, QWidget *parent)
    : QComboBox(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("profileSwitcher"));
    setAccessibleName(tr("Profile"));
    setToolTip(tr("The OpenWhisk API Feedscope talks to"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(14);
    connect(workspace->profiles(), &ProfileStore::profilesChanged, this, &ProfileSwitcher::refresh);
    connect(workspace, &Workspace::sessionChanged, this, &ProfileSwitcher::refresh);
    connect(workspace, &Workspace::stateChanged, this, &ProfileSwitcher::refresh);
    connect(this, &QComboBox::activated, this, [this](int index) {
        if (m_refreshing || !m_workspace)
            return;
        const QString name = itemText(index);
        if (name != m_workspace->currentProfile())
            Q_EMIT switchRequested(name);
    });
    refresh();
}

void ProfileSwitcher::refresh()
{
    if (!m_workspace)
        return;
    m_refreshing = true;
    const QStringList names = m_workspace->profiles()->names();
    if (names != [this] {
            QStringList items;
            for (int i = 0; i < count(); ++i)
                items.append(itemText(i));
            return items;
        }()) {
        clear();
        addItems(names);
    }
    setCurrentIndex(findText(m_workspace->currentProfile()));
    m_refreshing = false;
}

} // namespace Feedscope::Ui
