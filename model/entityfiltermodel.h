// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace Feedscope {

// The explorer's filter box: entities whose name contains the text (case-insensitive) stay,
// with the groups and packages above them; the namespace and the four groups always stay, so
// the tree keeps its shape while the user types. Matching is a plain substring test on the
// name role, cheap enough to run over 10,000 entities per keystroke (bench/gui-start.sh).
class EntityFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EntityFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }

    // While filtering, a group says how many of its entities match: "Triggers (3 of 120)".
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace Feedscope
