// SPDX-License-Identifier: GPL-3.0-or-later
#include "entityfiltermodel.h"

#include "entitytreemodel.h"

namespace Feedscope {

EntityFilterModel::EntityFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void EntityFilterModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

QVariant EntityFilterModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole && !m_text.isEmpty() && index.column() == 0
        && index.data(EntityTreeModel::NodeKindRole).value<EntityTreeModel::NodeKind>()
               == EntityTreeModel::NodeKind::Group) {
        const QModelIndex source = mapToSource(index);
        return tr("%1 (%2 of %3)")
            .arg(source.data(EntityTreeModel::NameRole).toString())
            .arg(rowCount(index))
            .arg(sourceModel()->rowCount(source));
    }
    return QSortFilterProxyModel::data(index, role);
}

bool EntityFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto kind = index.data(EntityTreeModel::NodeKindRole).value<EntityTreeModel::NodeKind>();
    if (kind == EntityTreeModel::NodeKind::Namespace || kind == EntityTreeModel::NodeKind::Group)
        return true;
    if (m_text.isEmpty())
        return true;
    // A member's name is "pkg/x": members of a matching package stay visible with it.
    return index.data(EntityTreeModel::NameRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace Feedscope
