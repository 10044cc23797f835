// SPDX-License-Identifier: GPL-3.0-or-later
#include "namespaceloader.h"

#include "feedcall.h"
#include "feedhealth.h"

namespace Feedscope {

namespace {

constexpr int parallelDetails = 4;

} // namespace

NamespaceLoader::NamespaceLoader(WhiskClientPtr client, EntityTreeModel *model, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_model(model)
{
    connect(model, &EntityTreeModel::packageContentsWanted, this, &NamespaceLoader::loadPackage);
}

void NamespaceLoader::refresh()
{
    m_fullRefresh = true;
    m_queue.clear();
    m_feedReadFor.clear();
    const QString ns = m_client->endpoint().ns;
    if (!m_namespaceKnown && (ns.isEmpty() || ns == u"_")) {
        // The root shows the namespace's real name, the key's own (PROTOCOL.md 1.5), and it is
        // known before anything is listed: naming the root resets the tree.
        m_client->listNamespaces(this, [this](Result<QStringList> r) {
            if (r && !r->isEmpty() && m_model)
                m_model->setNamespace(r->first());
            m_namespaceKnown = true;
            refreshAll();
        });
        return;
    }
    if (!m_namespaceKnown && m_model)
        m_model->setNamespace(ns);
    m_namespaceKnown = true;
    refreshAll();
}

void NamespaceLoader::refreshAll()
{
    for (auto group : {EntityTreeModel::Group::Packages,
                       EntityTreeModel::Group::Actions,
                       EntityTreeModel::Group::Triggers,
                       EntityTreeModel::Group::Rules})
        refreshGroup(group);
}

void NamespaceLoader::refreshGroup(EntityTreeModel::Group group)
{
    if (!m_model)
        return;
    const int generation = ++m_generation[int(group)];
    if (m_pendingGroups++ == 0)
        Q_EMIT loadingChanged(true);
    m_model->setGroupLoading(group, true);
    listGroup(group, generation);
}

void NamespaceLoader::listGroup(EntityTreeModel::Group group, int generation)
{
    listPage(group, generation, 0, std::make_shared<QList<ExplorerEntry>>());
}

void NamespaceLoader::listPage(EntityTreeModel::Group group,
                               int generation,
                               int skip,
                               std::shared_ptr<QList<ExplorerEntry>> collected)
{
    // Continues with the next page while pages are full.
    auto page = [this, group, generation, skip, collected](int received,
                                                           const std::optional<WhiskError> &error) {
        if (generation != m_generation[int(group)])
            return groupDone(group, generation, false); // superseded
        if (error) {
            if (m_model)
                m_model->setGroupError(group, error->message);
            Q_EMIT failed(error->message);
            return groupDone(group, generation, false);
        }
        if (received == m_pageSize)
            return listPage(group, generation, skip + received, collected);
        if (m_model)
            m_model->setEntities(group, *collected);
        Q_EMIT groupListed(group);
        groupDone(group, generation, true);
    };
    switch (group) {
    case EntityTreeModel::Group::Packages:
        m_client->listPackages(m_client->endpoint().ns,
                               m_pageSize,
                               skip,
                               this,
                               [collected, page](Result<QList<Package>> r) {
                                   if (!r)
                                       return page(0, r.error());
                                   for (const Package &p : *r)
                                       collected->append(ExplorerEntry::fromPackage(p));
                                   page(int(r->size()), std::nullopt);
                               });
        break;
    case EntityTreeModel::Group::Actions:
        m_client->listActions(
            {}, m_pageSize, skip, this, [collected, page](Result<QList<Action>> r) {
                if (!r)
                    return page(0, r.error());
                for (const Action &a : *r) {
                    // The namespace listing holds only unpackaged actions.
                    if (!a.ns.contains(u'/'))
                        collected->append(ExplorerEntry::fromAction(a));
                }
                page(int(r->size()), std::nullopt);
            });
        break;
    case EntityTreeModel::Group::Triggers:
        m_client->listTriggers(m_pageSize, skip, this, [collected, page](Result<QList<Trigger>> r) {
            if (!r)
                return page(0, r.error());
            for (const Trigger &t : *r)
                collected->append(ExplorerEntry::fromTrigger(t));
            page(int(r->size()), std::nullopt);
        });
        break;
    case EntityTreeModel::Group::Rules:
        m_client->listRules(m_pageSize, skip, this, [collected, page](Result<QList<Rule>> r) {
            if (!r)
                return page(0, r.error());
            for (const Rule &rule : *r)
                collected->append(ExplorerEntry::fromRule(rule));
            page(int(r->size()), std::nullopt);
        });
        break;
    }
}

void NamespaceLoader::groupDone(EntityTreeModel::Group group, int generation, bool ok)
{
    if (generation == m_generation[int(group)] && m_model)
        m_model->setGroupLoading(group, false);
    if (ok && m_details)
        loadDetails(group);
    if (--m_pendingGroups == 0) {
        Q_EMIT loadingChanged(false);
        if (m_fullRefresh) {
            m_fullRefresh = false;
            Q_EMIT refreshed();
        }
    }
}

void NamespaceLoader::loadDetails(EntityTreeModel::Group group)
{
    if (!m_model)
        return;
    if (group == EntityTreeModel::Group::Triggers) {
        int feedReads = 0;
        QHash<QString, QString> readFor; // only triggers that still exist are remembered
        for (const ExplorerEntry &t : m_model->entries(group)) {
            const auto name = m_client->qualify(t.name);
            if (!name)
                continue;
            // The trigger document carries its rules and their status (PROTOCOL.md 1.8).
            m_queue.append([this, name](std::function<void()> done) {
                m_client->getTrigger(*name, this, [this, done](Result<Trigger> r) {
                    if (r && m_model) {
                        for (const RuleStatusEntry &rule : r->rules) {
                            const QString ruleName = rule.rule.section(u'/', 1);
                            if (rule.rule.section(u'/', 0, 0) == m_model->ns())
                                m_model->setRuleActive(ruleName, rule.active);
                        }
                    }
                    done();
                });
            });
            if (t.feed.isEmpty() || feedReads++ >= m_feedReadLimit)
                continue;
            const QString readKey = t.feed + u'@' + t.version;
            readFor.insert(t.name, readKey);
            if (m_feedReadFor.value(t.name) == readKey)
                continue; // read already, and nothing about its feed changed since
            const QString trigger = t.name;
            m_queue.append([this, trigger](std::function<void()> done) {
                refreshFeed(trigger, std::move(done));
            });
        }
        m_feedReadFor = readFor;
    } else if (group == EntityTreeModel::Group::Packages) {
        // Packages the user has open are listed again.
        for (const ExplorerEntry &p : m_model->entries(group)) {
            const QModelIndex index = m_model->indexOf(group, p.name);
            if (m_model->rowCount(index) > 0)
                loadPackage(p.name, p.kind == ExplorerEntry::Kind::Binding);
        }
    }
    runQueue();
}

void NamespaceLoader::refreshFeed(const QString &trigger, std::function<void()> done)
{
    const QModelIndex index
        = m_model ? m_model->indexOf(EntityTreeModel::Group::Triggers, trigger) : QModelIndex();
    const ExplorerEntry *entry = m_model ? m_model->entry(index) : nullptr;
    const auto feed = entry ? m_client->qualify(entry->feed) : std::nullopt;
    const auto name = m_client->qualify(trigger);
    if (!feed || !name) {
        if (done)
            done();
        return;
    }
    invokeFeed(*m_client,
               *feed,
               QStringLiteral("READ"),
               name->toString(),
               {},
               this,
               [this, trigger, done](FeedAnswer answer) {
                   if (m_model)
                       m_model->setFeedHealth(trigger, feedHealthFromRead(answer));
                   if (done)
                       done();
               });
}

void NamespaceLoader::loadPackage(const QString &package, bool isBinding)
{
    const auto name = m_client->qualify(package);
    if (!name)
        return;
    if (isBinding) {
        // A binding lists its target's actions and feeds in its merged view (PROTOCOL.md 1.7).
        m_client->getPackage(*name, this, [this, package](Result<Package> r) {
            if (!r || !m_model)
                return;
            QList<ExplorerEntry> members;
            for (const QString &action : r->actionNames) {
                ExplorerEntry e;
                e.kind = ExplorerEntry::Kind::Action;
                e.name = action;
                e.placeholder = true;
                members.append(e);
            }
            for (const QString &feed : r->feedNames) {
                ExplorerEntry e;
                e.kind = ExplorerEntry::Kind::Action;
                e.name = feed;
                e.feedAction = true;
                e.placeholder = true;
                members.append(e);
            }
            m_model->setPackageMembers(package, members);
        });
        return;
    }
    listPackagePage(package, 0, std::make_shared<QList<ExplorerEntry>>());
}

void NamespaceLoader::listPackagePage(const QString &package,
                                      int skip,
                                      std::shared_ptr<QList<ExplorerEntry>> collected)
{
    m_client->listActions(
        package, m_pageSize, skip, this, [this, package, collected, skip](Result<QList<Action>> r) {
            if (!r || !m_model)
                return;
            for (const Action &a : *r)
                collected->append(ExplorerEntry::fromAction(a, package));
            if (r->size() == m_pageSize) {
                listPackagePage(package, skip + int(r->size()), collected);
                return;
            }
            m_model->setPackageMembers(package, *collected);
        });
}

void NamespaceLoader::runQueue()
{
    while (m_running < parallelDetails && !m_queue.isEmpty()) {
        ++m_running;
        const auto job = m_queue.takeFirst();
        QPointer<NamespaceLoader> self(this);
        job([self] {
            if (!self)
                return;
            --self->m_running;
            self->runQueue();
            if (self->m_running == 0 && self->m_queue.isEmpty())
                Q_EMIT self->detailsLoaded();
        });
    }
}

} // namespace Feedscope
