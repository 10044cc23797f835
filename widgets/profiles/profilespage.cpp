// SPDX-License-Identifier: GPL-3.0-or-later
#include "profilespage.h"

#include "common/confirm.h"
#include "common/messagebar.h"
#include "workspace.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {

ProfilesPage::ProfilesPage(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_host(new QLineEdit(this))
    , m_namespace(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_keyNote(new QLabel(this))
    , m_storage(new QLabel(this))
    , m_message(new MessageBar(this))
    , m_save(new QPushButton(tr("&Save"), this))
    , m_use(new QPushButton(tr("&Use this profile"), this))
    , m_add(new QPushButton(tr("&Add a profile"), this))
    , m_remove(new QPushButton(tr("&Remove…"), this))
    , m_restart(new QPushButton(tr("Restart the &engine"), this))
{
    setObjectName(QStringLiteral("profilesPage"));
    setAccessibleName(tr("Profiles"));
    const auto named = [](QWidget *w, const QString &objectName, const QString &accessible) {
        w->setObjectName(objectName);
        w->setAccessibleName(accessible);
    };
    named(m_list, QStringLiteral("profileList"), tr("Profiles"));
    named(m_name, QStringLiteral("profileNameEdit"), tr("Profile name"));
    named(m_host, QStringLiteral("profileHostEdit"), tr("API host"));
    named(m_namespace, QStringLiteral("profileNamespaceEdit"), tr("Namespace"));
    named(m_key, QStringLiteral("profileKeyEdit"), tr("API key"));
    named(m_save, QStringLiteral("profileSaveButton"), tr("Save the profile"));
    named(m_use, QStringLiteral("profileUseButton"), tr("Use this profile"));
    named(m_add, QStringLiteral("profileAddButton"), tr("Add a profile"));
    named(m_remove, QStringLiteral("profileRemoveButton"), tr("Remove the profile"));
    named(m_restart, QStringLiteral("restartEngineButton"), tr("Restart the local engine"));
    m_message->setObjectName(QStringLiteral("profileMessage"));
    m_message->setAccessibleName(tr("Profile message"));
    m_host->setPlaceholderText(tr("https://openwhisk.example.com or http://127.0.0.1:3233"));
    m_namespace->setPlaceholderText(tr("_ (the key's own namespace)"));
    m_key->setEchoMode(QLineEdit::Password);
    m_keyNote->setWordWrap(true);
    m_storage->setWordWrap(true);
    m_storage->setObjectName(QStringLiteral("keyStorageNotice"));
    m_list->setMaximumWidth(260);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("API &host:"), m_host);
    form->addRow(tr("Name&space:"), m_namespace);
    form->addRow(tr("&Key:"), m_key);
    form->addRow(QString(), m_keyNote);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_use);
    buttons->addWidget(m_restart);
    buttons->addStretch(1);
    buttons->addWidget(m_remove);
    auto *right = new QVBoxLayout;
    auto *heading
        = new QLabel(tr("<b>Profiles</b> — where Feedscope connects. The local engine needs "
                        "nothing; for your own OpenWhisk add a profile, or set up "
                        "<tt>~/.wskprops</tt> (the file the wsk CLI uses)."),
                     this);
    heading->setWordWrap(true);
    right->addWidget(heading);
    right->addWidget(m_message);
    right->addLayout(form);
    right->addLayout(buttons);
    right->addWidget(m_storage);
    right->addStretch(1);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addWidget(m_add);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 1);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            showProfile(name);
    });
    for (QLineEdit *field : {m_name, m_host, m_namespace, m_key})
        connect(field, &QLineEdit::textEdited, this, [this] { m_formEdited = true; });
    connect(m_save, &QPushButton::clicked, this, &ProfilesPage::save);
    connect(m_add, &QPushButton::clicked, this, &ProfilesPage::startNew);
    connect(m_remove, &QPushButton::clicked, this, &ProfilesPage::remove);
    connect(m_use, &QPushButton::clicked, this, [this] {
        if (!m_shown.isEmpty())
            Q_EMIT switchRequested(m_shown);
    });
    connect(m_restart, &QPushButton::clicked, this, [this] {
        if (m_workspace)
            m_workspace->restartLocalEngine();
    });
    connect(workspace->profiles(), &ProfileStore::profilesChanged, this, &ProfilesPage::refresh);
    connect(workspace->profiles(),
            &ProfileStore::keyStorageReadyChanged,
            this,
            &ProfilesPage::updateNotice);
    connect(workspace, &Workspace::sessionChanged, this, &ProfilesPage::refresh);
    connect(workspace->localEngine(), &LocalEngine::stateChanged, this, [this] {
        if (m_shown == ProfileStore::localEngineName)
            showProfile(m_shown);
    });
    refresh();
    select(workspace->currentProfile().isEmpty() ? ProfileStore::localEngineName
                                                 : workspace->currentProfile());
}

void ProfilesPage::refresh()
{
    const QString current = m_shown;
    QSignalBlocker block(m_list);
    m_list->clear();
    for (const Profile &p : m_workspace->profiles()->profiles()) {
        auto *item = new QListWidgetItem(p.name, m_list);
        QStringList notes;
        if (p.kind != Profile::Kind::Remote)
            notes << tr("built in");
        if (p.name == m_workspace->currentProfile()) {
            notes << tr("in use");
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
        item->setToolTip(notes.join(QStringLiteral(", ")));
    }
    updateNotice();
    if (m_adding || m_formEdited) {
        // What the user is typing stays; only the list follows.
        const auto items = m_list->findItems(current, Qt::MatchExactly);
        if (!items.isEmpty())
            m_list->setCurrentItem(items.first());
        return;
    }
    select(current.isEmpty() ? ProfileStore::localEngineName : current);
}

void ProfilesPage::updateNotice()
{
    ProfileStore *store = m_workspace->profiles();
    if (!store->keyStorageReady())
        m_storage->setText(tr("Looking for a keychain service…"));
    else if (store->usingKeychain())
        m_storage->setText(tr("Keys are kept in the system keychain."));
    else
        m_storage->setText(store->keyStorageNotice());
}

void ProfilesPage::select(const QString &profile)
{
    const auto items = m_list->findItems(profile, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.first());
    showProfile(profile);
}

void ProfilesPage::startNew()
{
    m_adding = true;
    m_shown.clear();
    m_list->clearSelection();
    m_message->clearMessage();
    for (QLineEdit *e : {m_name, m_host, m_namespace, m_key}) {
        e->clear();
        e->setReadOnly(false);
    }
    m_key->setPlaceholderText(tr("uuid:key"));
    m_keyNote->setText(tr("The key is uuid:key, as `wsk property get --auth` shows it."));
    m_use->setEnabled(false);
    m_remove->setEnabled(false);
    m_restart->setVisible(false);
    m_save->setEnabled(true);
    m_name->setFocus();
}

void ProfilesPage::showProfile(const QString &name)
{
    const auto profile = m_workspace->profiles()->profile(name);
    if (!profile)
        return;
    m_adding = false;
    m_formEdited = false;
    m_shown = name;
    m_message->clearMessage();
    const bool local = profile->kind == Profile::Kind::LocalEngine;
    const bool builtIn = profile->kind != Profile::Kind::Remote;
    m_name->setText(profile->name);
    m_name->setReadOnly(builtIn);
    m_host->setText(profile->endpoint.apiHost);
    m_namespace->setText(profile->endpoint.ns == u"_" ? QString() : profile->endpoint.ns);
    m_key->clear();
    for (QLineEdit *e : {m_host, m_namespace, m_key})
        e->setReadOnly(local);
    m_save->setEnabled(!local);
    m_remove->setEnabled(!builtIn);
    m_use->setEnabled(name != m_workspace->currentProfile());
    m_restart->setVisible(local);
    if (local) {
        const LocalEngine *engine = m_workspace->localEngine();
        QString state;
        switch (engine->state()) {
        case LocalEngine::State::Running:
            state = engine->ownsProcess() ? tr("running (started by Feedscope, data in %1)")
                                                .arg(engine->dataDirectory())
                                          : tr("running (attached: started outside Feedscope)");
            break;
        case LocalEngine::State::Starting: state = tr("starting"); break;
        case LocalEngine::State::Stopping: state = tr("stopping"); break;
        case LocalEngine::State::Stopped: state = tr("stopped"); break;
        }
        if (m_host->text().isEmpty())
            m_host->setText(QStringLiteral("http://127.0.0.1:%1").arg(engine->preferredPort()));
        m_namespace->setText(QStringLiteral("guest"));
        m_key->setPlaceholderText(tr("the well-known guest key"));
        m_keyNote->setText(
            tr("feedscope-engine on this machine, with the well-known guest key. Engine: %1.")
                .arg(state));
    } else if (profile->kind == Profile::Kind::WskProps) {
        m_key->setPlaceholderText(tr("unchanged (the key in the file)"));
        m_keyNote->setText(
            tr("Saved to %1 (the wsk CLI's file); __OW_API_HOST / __OW_API_KEY / "
               "__OW_NAMESPACE in the environment override it. Leave the key empty to keep "
               "the one in the file.")
                .arg(m_workspace->profiles()->wskPropsPath()));
    } else {
        m_key->setPlaceholderText(tr("unchanged (the stored key)"));
        m_keyNote->setText(tr("Leave the key empty to keep the stored one."));
    }
}

void ProfilesPage::save()
{
    ProfileStore *store = m_workspace->profiles();
    Profile p;
    p.name = m_name->text().trimmed();
    p.endpoint.apiHost = m_host->text().trimmed();
    p.endpoint.ns = m_namespace->text().trimmed().isEmpty() ? QStringLiteral("_")
                                                            : m_namespace->text().trimmed();
    p.endpoint.authKey = m_key->text().trimmed();
    if (p.name.isEmpty()) {
        m_message->showError(tr("Give the profile a name."));
        m_name->setFocus();
        return;
    }
    if (p.endpoint.apiHost.isEmpty()) {
        m_message->showError(tr("Give the API host, e.g. https://openwhisk.example.com."));
        m_host->setFocus();
        return;
    }
    if (!p.endpoint.authKey.isEmpty() && !p.endpoint.authKey.contains(u':')) {
        m_message->showError(tr("A key looks like uuid:key (with a colon)."));
        m_key->setFocus();
        return;
    }
    const QString previous = m_shown;
    auto done = [this, name = p.name, previous](Result<Done> r) {
        if (!r) {
            m_message->showError(r.error().message);
            return;
        }
        m_adding = false;
        m_formEdited = false;
        m_key->clear();
        m_message->showInfo(tr("Saved profile %1.").arg(name));
        Q_EMIT statusMessage(tr("Saved profile %1.").arg(name));
        select(name);
        // The profile in use changed: connect again with the new settings.
        // The profile in use changed (or was renamed): connect again with the new settings.
        if (m_workspace
            && (m_workspace->currentProfile() == name
                || (!previous.isEmpty() && m_workspace->currentProfile() == previous)))
            m_workspace->switchTo(name);
    };
    if (m_adding) {
        p.kind = Profile::Kind::Remote;
        store->add(p, this, done);
        return;
    }
    const auto existing = store->profile(previous);
    p.kind = existing ? existing->kind : Profile::Kind::Remote;
    if (previous != p.name && p.kind == Profile::Kind::Remote) {
        store->rename(previous, p.name, this, [this, store, p, done](Result<Done> r) {
            if (!r) {
                m_message->showError(r.error().message);
                return;
            }
            store->update(p, this, done);
        });
        return;
    }
    store->update(p, this, done);
}

void ProfilesPage::remove()
{
    if (m_shown.isEmpty())
        return;
    const QString name = m_shown;
    confirm(this,
            tr("Remove profile"),
            tr("Remove profile %1 and its stored key?").arg(name),
            QMessageBox::Yes,
            [this, name] { removeConfirmed(name); });
}

void ProfilesPage::removeConfirmed(const QString &name)
{
    m_workspace->profiles()->remove(name, this, [this, name](Result<Done> r) {
        if (!r) {
            m_message->showError(r.error().message);
            return;
        }
        Q_EMIT statusMessage(tr("Removed profile %1.").arg(name));
        m_shown.clear();
        select(ProfileStore::localEngineName);
        if (m_workspace && m_workspace->currentProfile() == name)
            Q_EMIT switchRequested(ProfileStore::localEngineName);
    });
}

} // namespace Feedscope::Ui
