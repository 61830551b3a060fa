<?php
// Adds to the WordPress anchor (/work/shared/anchors/wordpress) what real sites hold and the anchor's
// 1,000 generated posts do not, so that its own exporter writes a WXR with every case the importer meets:
//   drafts (one untitled, with a floating date), a scheduled post, a private post, a password-protected
//   post, a trashed post, a parent page and a child page with a non-ASCII title, a block-editor post
//   with many block kinds, a classic-editor post (no <p>: wpautop text), a post of shortcodes
//   ([caption], [gallery], an unknown [contact-form-7]), 3 image attachments (one the featured image of
//   a post, one whose files are then deleted), a post with an excerpt, a post in 3 categories (one a
//   child category) with non-ASCII tags, a second user (role author) who writes a post and comments,
//   and comments of every status: approved, pending, spam, trash, replies 3 deep, a pingback, one with
//   no e-mail, non-ASCII names and text.
// Published edge-case posts are dated ~200 days back, so the benchmark's pages (home, newest post,
// the post with 200 comments, feeds, /category/engineering/) show the same posts as before.
//
// usage (as root, WordPress anchor up):
//   php tests/data/wordpress/add_edge_cases.php [http://127.0.0.1:8080]           adds them, once
//   php tests/data/wordpress/add_edge_cases.php --counts [http://127.0.0.1:8080]  prints the counts (JSON)
// Idempotent: does nothing if the option flask_blog_edge_cases (the ids it created) is there.
$opts = array_slice($argv, 1);
$counts_only = in_array('--counts', $opts, true);
$opts = array_values(array_filter($opts, fn($a) => $a !== '--counts'));
$url = $opts[0] ?? 'http://127.0.0.1:8080';
$host = parse_url($url, PHP_URL_HOST);
$_SERVER['HTTP_HOST'] = $host;          // Debian's wp-config.php picks /etc/wordpress/config-<HTTP_HOST>.php
$_SERVER['SERVER_NAME'] = $host;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_SOFTWARE'] = 'nginx';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/image.php';   // wp_generate_attachment_metadata()

const MARKER = 'flask_blog_edge_cases';

function counts() {
    global $wpdb;
    $v = fn($sql) => (int)$wpdb->get_var($sql);
    $by = function ($type) use ($wpdb) {
        $o = [];
        foreach ($wpdb->get_results($wpdb->prepare(
            "SELECT post_status, COUNT(*) n FROM {$wpdb->posts} WHERE post_type=%s GROUP BY post_status ORDER BY post_status", $type)) as $r)
            $o[$r->post_status] = (int)$r->n;
        return $o ?: new stdClass();
    };
    $comments = [];
    $names = ['1' => 'approved', '0' => 'pending', 'spam' => 'spam', 'trash' => 'trash', 'post-trashed' => 'post-trashed'];
    foreach ($wpdb->get_results("SELECT comment_approved a, COUNT(*) n FROM {$wpdb->comments} GROUP BY comment_approved") as $r)
        $comments[$names[$r->a] ?? $r->a] = (int)$r->n;
    $types = [];
    foreach ($wpdb->get_results("SELECT comment_type t, COUNT(*) n FROM {$wpdb->comments} GROUP BY comment_type") as $r)
        $types[$r->t] = (int)$r->n;
    $big = $wpdb->get_row("SELECT ID, comment_count FROM {$wpdb->posts} WHERE post_type='post' ORDER BY comment_count DESC, ID LIMIT 1");
    $newest = $wpdb->get_row("SELECT ID, comment_count FROM {$wpdb->posts} WHERE post_type='post' AND post_status='publish' ORDER BY post_date DESC, ID DESC LIMIT 1");
    $users = [];
    foreach (get_users(['orderby' => 'ID']) as $u)
        $users[] = ['id' => $u->ID, 'login' => $u->user_login, 'display_name' => $u->display_name, 'roles' => array_values($u->roles)];
    return [
        'wordpress_version' => get_bloginfo('version'),
        'siteurl' => get_option('siteurl'), 'home' => get_option('home'),
        'permalink_structure' => get_option('permalink_structure'),
        'uploads_basedir' => wp_upload_dir(null, false)['basedir'],
        'uploads_baseurl' => wp_upload_dir(null, false)['baseurl'],
        'posts_by_status' => $by('post'), 'pages_by_status' => $by('page'), 'attachments_by_status' => $by('attachment'),
        'published_posts' => $v("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type='post' AND post_status='publish'"),
        'categories_all' => $v("SELECT COUNT(*) FROM {$wpdb->term_taxonomy} WHERE taxonomy='category'"),
        'categories_with_posts' => $v("SELECT COUNT(*) FROM {$wpdb->term_taxonomy} WHERE taxonomy='category' AND count>0"),
        'tags' => $v("SELECT COUNT(*) FROM {$wpdb->term_taxonomy} WHERE taxonomy='post_tag'"),
        'tags_with_posts' => $v("SELECT COUNT(*) FROM {$wpdb->term_taxonomy} WHERE taxonomy='post_tag' AND count>0"),
        'comments_by_status' => $comments,
        'comments_by_type' => $types,
        'approved_comments' => $v("SELECT COUNT(*) FROM {$wpdb->comments} WHERE comment_approved='1'"),
        'users' => $users,
        'post_with_most_comments' => ['id' => (int)$big->ID, 'comment_count' => (int)$big->comment_count,
                                      'permalink' => get_permalink($big->ID)],
        'newest_published_post' => ['id' => (int)$newest->ID, 'comment_count' => (int)$newest->comment_count,
                                    'permalink' => get_permalink($newest->ID)],
        'edge_case_ids' => get_option(MARKER) ?: null,
    ];
}

if ($counts_only) {
    echo json_encode(counts(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    exit(0);
}
if (get_option(MARKER)) {
    fwrite(STDERR, "edge cases already added (option " . MARKER . "): nothing to do\n");
    exit(0);
}

function fail($what) {
    fwrite(STDERR, 'add_edge_cases: ' . (is_wp_error($what) ? $what->get_error_message() : $what) . "\n");
    exit(1);
}
function ok($id) { if (!$id || is_wp_error($id)) fail($id ?: 'insert failed'); return $id; }

remove_action('publish_post', '_publish_post_hook', 5);   // no pings/enclosures (no network here)
wp_set_current_user(1);                                     // an administrator writes (unfiltered_html)

$now = current_time('timestamp');
$base = strtotime(gmdate('Y-m-d 10:00:00', $now - 200 * 86400));   // edge-case posts: ~200 days back
$at = fn($days, $minutes = 0) => date('Y-m-d H:i:s', $base + $days * 86400 + $minutes * 60);
$ids = [];

// --- a second user, role author, with a non-ASCII display name ----------------------------------------
$zoe = username_exists('zoe') ?: ok(wp_insert_user([
    'user_login' => 'zoe', 'user_pass' => wp_generate_password(20), 'user_email' => 'zoe@example.com',
    'first_name' => 'Zoë', 'last_name' => 'Ångström', 'display_name' => 'Zoë Ångström', 'nickname' => 'zoe',
    'user_url' => 'https://zoe.example.org/', 'description' => 'Writes about film cameras. Ünïcödé bio — 日本語.',
    'role' => 'author',
]));
$ids['user_zoe'] = $zoe;

// --- terms: a child category with a description, non-ASCII tags -----------------------------------------
$photo = get_term_by('slug', 'photography', 'category');
$film = term_exists('Film', 'category') ?: ok(wp_insert_term('Film', 'category', [
    'parent' => $photo->term_id, 'slug' => 'film', 'description' => 'Analogue cameras, 35 mm and medium format.']));
$film_id = (int)$film['term_id'];
$cat = fn($slug) => (int)get_term_by('slug', $slug, 'category')->term_id;
$old_tags = get_terms(['taxonomy' => 'post_tag', 'hide_empty' => false, 'orderby' => 'term_id', 'number' => 2, 'fields' => 'names']);

// --- helpers ------------------------------------------------------------------------------------------
function post($a) {
    $d = ['post_type' => 'post', 'post_status' => 'publish', 'post_author' => 1, 'comment_status' => 'open',
          'ping_status' => 'closed'];
    $a = array_merge($d, $a);
    if (isset($a['post_date']) && !isset($a['post_date_gmt']) && in_array($a['post_status'], ['publish', 'future', 'private'], true))
        $a['post_date_gmt'] = get_gmt_from_date($a['post_date']);
    return ok(wp_insert_post(wp_slash($a), true));
}
function comment($post_id, $a, $date) {
    $d = ['comment_post_ID' => $post_id, 'comment_author_url' => '', 'comment_author_IP' => '192.0.2.10',
          'comment_agent' => 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
          'comment_type' => 'comment', 'comment_approved' => 1, 'comment_parent' => 0, 'user_id' => 0,
          'comment_date' => $date, 'comment_date_gmt' => get_gmt_from_date($date)];
    return ok(wp_insert_comment(wp_slash(array_merge($d, $a))));
}
// a small, deterministic image drawn with GD
function image_bits($kind, $w, $h, $seed) {
    $im = imagecreatetruecolor($w, $h);
    for ($y = 0; $y < $h; $y++) {
        $c = imagecolorallocate($im, (40 + $seed * 70 + $y) % 256, (90 + $y / 2) % 256, (160 + $seed * 30) % 256);
        imageline($im, 0, $y, $w - 1, $y, $c);
    }
    $white = imagecolorallocate($im, 255, 255, 255);
    imagefilledrectangle($im, (int)($w * 0.1), (int)($h * 0.6), (int)($w * 0.4), (int)($h * 0.9), $white);
    imagefilledellipse($im, (int)($w * 0.7), (int)($h * 0.3), (int)($h * 0.35), (int)($h * 0.35), $white);
    imagestring($im, 5, 10, 10, "edge case image $seed", $white);
    ob_start();
    $kind === 'png' ? imagepng($im, null, 9) : imagejpeg($im, null, 70);
    imagedestroy($im);
    return ob_get_clean();
}
function attach($name, $kind, $w, $h, $seed, $parent, $date, $title, $alt, $caption, $description) {
    $up = wp_upload_bits($name, null, image_bits($kind, $w, $h, $seed), substr($date, 0, 4) . '/' . substr($date, 5, 2));
    if ($up['error']) fail($up['error']);
    $id = ok(wp_insert_attachment(wp_slash([
        'post_mime_type' => $kind === 'png' ? 'image/png' : 'image/jpeg', 'post_title' => $title,
        'post_content' => $description, 'post_excerpt' => $caption, 'post_status' => 'inherit',
        'post_author' => 1, 'post_date' => $date, 'post_date_gmt' => get_gmt_from_date($date), 'guid' => $up['url'],
    ]), $up['file'], $parent, true));
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $up['file']));
    update_post_meta($id, '_wp_attachment_image_alt', wp_slash($alt));
    return $id;
}
$src = fn($id, $size = 'full') => wp_get_attachment_image_src($id, $size)[0];

// --- posts that hold images: created first, so the attachments can be uploaded "to" them ------------
$block_id = post(['post_title' => 'Every block the editor has', 'post_name' => 'every-block-the-editor-has',
                  'post_date' => $at(0), 'post_category' => [$cat('photography')], 'tags_input' => $old_tags]);
$short_id = post(['post_title' => 'Shortcodes from the classic editor', 'post_name' => 'shortcodes-from-the-classic-editor',
                  'post_date' => $at(1), 'post_category' => [$cat('photography')]]);
$excerpt_id = post(['post_title' => 'A post with an excerpt and a featured image', 'post_name' => 'excerpt-and-featured-image',
                    'post_date' => $at(2), 'post_category' => [$cat('travel')],
                    'post_excerpt' => 'The hand-written excerpt: shown on the home page and in feeds instead of the first words.']);
$classic_id = post(['post_title' => 'Written in the classic editor', 'post_name' => 'written-in-the-classic-editor',
                    'post_date' => $at(3), 'post_category' => [$cat('books')]]);

$harbour = attach('harbour.jpg', 'jpeg', 480, 320, 1, $excerpt_id, $at(2, -30), 'Harbour at dawn',
                  'Boats in a harbour at dawn', 'The harbour at dawn (attachment caption).', 'Attachment description: a harbour.');
$diagram = attach('diagram.png', 'png', 400, 250, 2, $block_id, $at(0, -30), 'Diagram',
                  'A diagram with a square and a circle', '', '');
$lost = attach('lost-photo.jpg', 'jpeg', 480, 320, 3, $classic_id, $at(3, -30), 'Lost photo',
               'A photo whose file was deleted', 'This file is missing on disk.', '');
set_post_thumbnail($excerpt_id, $harbour);
$ids += ['block' => $block_id, 'shortcodes' => $short_id, 'excerpt_featured' => $excerpt_id, 'classic' => $classic_id,
         'attachment_harbour' => $harbour, 'attachment_diagram' => $diagram, 'attachment_lost' => $lost];

$hs = wp_get_attachment_image_src($harbour, 'medium');   // [url, w, h]
$ds = wp_get_attachment_image_src($diagram, 'medium');
$ls = wp_get_attachment_image_src($lost, 'medium');

$yt = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';
$block = <<<HTML
<!-- wp:paragraph -->
<p>A block-editor post with <strong>bold</strong>, <em>italic</em>, <code>inline code</code>, an <a href="https://wordpress.org/">external link</a> and an ampersand &amp; a non-breaking&nbsp;space.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2>A second-level heading</h2>
<!-- /wp:heading -->

<!-- wp:heading {"level":3} -->
<h3>A third-level heading</h3>
<!-- /wp:heading -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>First item</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Second item, with <a href="https://example.org/">a link</a></li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:list {"ordered":true} -->
<ol><!-- wp:list-item -->
<li>Step one</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Step two</li>
<!-- /wp:list-item --></ol>
<!-- /wp:list -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Simplicity is prerequisite for reliability.</p>
<!-- /wp:paragraph --><cite>Edsger W. Dijkstra</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:image {"id":$harbour,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$src($harbour)}" alt="Boats in a harbour at dawn" class="wp-image-$harbour"/><figcaption class="wp-element-caption">An image block with a caption</figcaption></figure>
<!-- /wp:image -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":$harbour,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$src($harbour)}" alt="Boats in a harbour at dawn" class="wp-image-$harbour"/></figure>
<!-- /wp:image -->

<!-- wp:image {"id":$diagram,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$src($diagram)}" alt="A diagram with a square and a circle" class="wp-image-$diagram"/><figcaption class="wp-element-caption">Second image of the gallery</figcaption></figure>
<!-- /wp:image --><figcaption class="blocks-gallery-caption wp-element-caption">A gallery block of two images</figcaption></figure>
<!-- /wp:gallery -->

<!-- wp:code -->
<pre class="wp-block-code"><code>def greet(name):
    return f"&lt;b&gt;Hello, {name}&lt;/b&gt;"  # 4 spaces of indent, &amp; escaped</code></pre>
<!-- /wp:code -->

<!-- wp:preformatted -->
<pre class="wp-block-preformatted">Preformatted   text
    keeps its    spaces</pre>
<!-- /wp:preformatted -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>Lens</th><th>Aperture</th></tr></thead><tbody><tr><td>35 mm</td><td>f/2</td></tr><tr><td>50 mm</td><td>f/1.4</td></tr></tbody></table><figcaption class="wp-element-caption">A table with a header row</figcaption></figure>
<!-- /wp:table -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->

<!-- wp:embed {"url":"$yt","type":"video","providerNameSlug":"youtube","responsive":true,"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">
$yt
</div><figcaption class="wp-element-caption">A YouTube embed</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:html -->
<div class="custom-html"><span style="color:#c00">Custom HTML block</span></div>
<!-- /wp:html -->

<!-- wp:shortcode -->
[contact-form-7 id="1" title="Contact form 1"]
<!-- /wp:shortcode -->

<!-- wp:paragraph {"align":"center"} -->
<p class="has-text-align-center">The last paragraph, centred.</p>
<!-- /wp:paragraph -->
HTML;

$classic = <<<HTML
This post was written in the classic editor, which saves no paragraph tags: WordPress adds them when it shows the post (wpautop).

A second paragraph with <em>emphasis</em>, <strong>strong text</strong> and <a href="https://example.org/search?q=a&amp;lang=en">a link with a query string</a>.
This line follows a single line break, which becomes &lt;br /&gt;.

<!--more-->

Below is an image whose file was deleted from the uploads folder:

<img class="alignnone size-medium wp-image-$lost" src="{$ls[0]}" alt="A photo whose file was deleted" width="{$ls[1]}" height="{$ls[2]}" />

Typography: "straight quotes", an ellipsis..., an en dash 1990--2000, an em dash --- and accents: naïve café, Ünïcödé, 日本語.
<h3>A classic heading</h3>
<ul>
 	<li>Classic list item one</li>
 	<li>Classic list item <em>two</em></li>
</ul>
<blockquote>A classic blockquote, no paragraph inside.</blockquote>
The last line of the post.
HTML;

$short = <<<HTML
Shortcodes, as the classic editor's media buttons write them.

[caption id="attachment_$diagram" align="alignnone" width="{$ds[1]}"]<img class="size-medium wp-image-$diagram" src="{$ds[0]}" alt="A diagram with a square and a circle" width="{$ds[1]}" height="{$ds[2]}" /> Caption text of a [caption] shortcode[/caption]

A gallery of the three images (one of them missing on disk):

[gallery ids="$harbour,$diagram,$lost"]

A plugin's shortcode that this blog does not know:

[contact-form-7 id="1" title="Contact form 1"]

An enclosing shortcode with attributes: [pullquote align="right"]Quoted <em>text</em>[/pullquote]

A bare URL on its own line, which WordPress turns into an embed:

$yt
HTML;

$excerpt_body = <<<HTML
<!-- wp:paragraph -->
<p>This post has a hand-written excerpt and a featured image (the harbour), which is not in its content.</p>
<!-- /wp:paragraph -->

<!-- wp:image {"id":$harbour,"sizeSlug":"medium","linkDestination":"media"} -->
<figure class="wp-block-image size-medium"><a href="{$src($harbour)}"><img src="{$hs[0]}" alt="Boats in a harbour at dawn" class="wp-image-$harbour"/></a></figure>
<!-- /wp:image -->
HTML;

foreach ([[$block_id, $block], [$classic_id, $classic], [$short_id, $short], [$excerpt_id, $excerpt_body]] as [$id, $c])
    ok(wp_update_post(wp_slash(['ID' => $id, 'post_content' => $c]), true));

// the lost photo: its files are gone, its attachment stays (what a broken restore leaves behind)
$meta = wp_get_attachment_metadata($lost);
$dir = dirname(get_attached_file($lost));
@unlink(get_attached_file($lost));
foreach ($meta['sizes'] ?? [] as $s) @unlink("$dir/{$s['file']}");

// --- statuses ------------------------------------------------------------------------------------------
$p = fn($body) => "<!-- wp:paragraph -->\n<p>$body</p>\n<!-- /wp:paragraph -->";
$ids['draft'] = post(['post_title' => 'A draft, half written', 'post_status' => 'draft', 'post_date' => $at(4),
                      'post_content' => $p('Draft text that is not published yet.'), 'post_category' => [$cat('books')]]);
$ids['draft_untitled'] = post(['post_title' => '', 'post_status' => 'draft',
                               'post_content' => $p('An untitled draft: no title, no slug, a floating date.')]);
$ids['scheduled'] = post(['post_title' => 'Scheduled for next month', 'post_name' => 'scheduled-for-next-month',
                          'post_status' => 'future', 'post_date' => date('Y-m-d 08:00:00', $now + 30 * 86400),
                          'post_content' => $p('This post publishes itself in 30 days.'), 'post_category' => [$cat('science')]]);
$ids['private'] = post(['post_title' => 'A private post', 'post_name' => 'a-private-post', 'post_status' => 'private',
                        'post_date' => $at(5), 'post_content' => $p('Only logged-in editors and administrators see this.'),
                        'post_category' => [$cat('health')]]);
$ids['password'] = post(['post_title' => 'A password-protected post', 'post_name' => 'a-password-protected-post',
                         'post_date' => $at(6), 'post_password' => 'hunter2',
                         'post_content' => $p('The body behind the password form (the password is hunter2).'),
                         'post_category' => [$cat('finance')]]);
$ids['trashed'] = post(['post_title' => 'A post in the trash', 'post_name' => 'a-post-in-the-trash', 'post_date' => $at(7),
                        'post_content' => $p('Deleted, but still in the trash.'), 'post_category' => [$cat('music')]]);
wp_trash_post($ids['trashed']);

// --- pages: a parent and a child with a non-ASCII title -----------------------------------------------
$ids['page_about'] = post(['post_type' => 'page', 'post_title' => 'About', 'post_name' => 'about', 'post_date' => $at(8),
                           'comment_status' => 'closed', 'menu_order' => 1,
                           'post_content' => $p('About this blog.') . "\n\n" . "<!-- wp:heading -->\n<h2>Contact</h2>\n<!-- /wp:heading -->\n\n" . $p('Write to <a href="mailto:admin@example.com">admin@example.com</a>.')]);
$ids['page_team'] = post(['post_type' => 'page', 'post_title' => 'Café Ünïcödé — 日本語', 'post_parent' => $ids['page_about'],
                          'post_date' => $at(8, 10), 'comment_status' => 'closed', 'menu_order' => 2,
                          'post_content' => $p('The team page, a child of About. Ünïcödé text: Ærøskøbing, Zoë, 日本語のテキスト, emoji 📷.')]);

// --- several categories (one a child), non-ASCII tags ---------------------------------------------------
$ids['multi_category'] = post(['post_title' => 'Filed under three categories', 'post_name' => 'filed-under-three-categories',
                               'post_date' => $at(9), 'post_category' => [$cat('travel'), $cat('cooking'), $film_id],
                               'tags_input' => array_merge($old_tags, ['Ünïcödé', '日本語']),
                               'post_content' => $p('In Travel, Cooking and Photography › Film (a child category), with two old tags and two non-ASCII ones.')]);

// --- the second author's post -----------------------------------------------------------------------------
wp_set_current_user($zoe);                                // an author: her content goes through kses, as in the editor
$ids['by_zoe'] = post(['post_title' => 'Zoë’s first roll of film', 'post_name' => 'zoes-first-roll-of-film', 'post_author' => $zoe,
                       'post_date' => $at(10), 'post_category' => [$film_id], 'tags_input' => ['Ünïcödé'],
                       'post_content' => $p('Written by the second user (role author), not by the admin.')]);
wp_set_current_user(1);

// --- comments of every kind, on one post ----------------------------------------------------------------
$cp = $ids['comments'] = post(['post_title' => 'Comments of every kind', 'post_name' => 'comments-of-every-kind',
                               'post_date' => $at(11), 'post_category' => [$cat('science')],
                               'post_content' => $p('Approved, pending, spam and trashed comments, a thread four levels deep, a pingback, a registered user, an empty e-mail.')]);
$zu = get_userdata($zoe);
$t = fn($m) => date('Y-m-d H:i:s', strtotime(get_post($cp)->post_date) + $m * 60);
$c = [];
$c['root'] = comment($cp, ['comment_author' => 'Åsa Öberg', 'comment_author_email' => 'asa@example.se',
    'comment_author_url' => 'https://asa.example.se/', 'comment_content' => "Très bien ! Ünïcödé — 日本語のコメント 👍\n\nA second paragraph after a blank line."], $t(60));
$c['reply1'] = comment($cp, ['comment_author' => $zu->display_name, 'comment_author_email' => $zu->user_email,
    'comment_author_url' => $zu->user_url, 'user_id' => $zoe, 'comment_parent' => $c['root'],
    'comment_content' => 'A reply by a registered user (user_id set), level 2.'], $t(120));
$c['reply2'] = comment($cp, ['comment_author' => 'admin', 'comment_author_email' => 'admin@example.com', 'user_id' => 1,
    'comment_parent' => $c['reply1'], 'comment_content' => 'The post author answers, level 3.'], $t(180));
$c['reply3'] = comment($cp, ['comment_author' => 'José Núñez', 'comment_author_email' => 'jose@example.es',
    'comment_parent' => $c['reply2'], 'comment_content' => 'Level 4: the third reply down.'], $t(240));
$c['no_email'] = comment($cp, ['comment_author' => 'Anonymous', 'comment_author_email' => '',
    'comment_content' => 'No e-mail address given (the discussion settings allowed it).'], $t(300));
$c['html'] = comment($cp, ['comment_author' => 'Ренат Иванов', 'comment_author_email' => 'renat@example.ru',
    'comment_content' => "Comment HTML: <em>emphasis</em>, <strong>strong</strong>, <a href=\"https://example.org/\" rel=\"nofollow ugc\">a link</a>, <code>x &lt; y &amp;&amp; y &gt; z</code>.\nA line break."], $t(360));
$c['pending'] = comment($cp, ['comment_author' => 'Pending Person', 'comment_author_email' => 'pending@example.com',
    'comment_approved' => 0, 'comment_content' => 'Awaiting moderation (comment_approved = 0).'], $t(420));
$c['pending_reply'] = comment($cp, ['comment_author' => 'Li Wei 李伟', 'comment_author_email' => 'liwei@example.cn',
    'comment_approved' => 0, 'comment_parent' => $c['root'], 'comment_content' => 'A pending reply to an approved comment.'], $t(480));
$c['spam'] = comment($cp, ['comment_author' => 'Cheap Watches', 'comment_author_email' => 'spam@spam.example',
    'comment_author_url' => 'https://spam.example/watches', 'comment_approved' => 0,
    'comment_content' => 'Great post!!! Visit <a href="https://spam.example/watches">cheap watches</a>.'], $t(540));
wp_spam_comment($c['spam']);
$c['trash'] = comment($cp, ['comment_author' => 'Regretful Reader', 'comment_author_email' => 'regret@example.com',
    'comment_content' => 'A comment moved to the trash.'], $t(600));
wp_trash_comment($c['trash']);
$c['pingback'] = comment($cp, ['comment_author' => 'Another Blog » A post that links here', 'comment_author_email' => '',
    'comment_author_url' => 'https://another-blog.example/2025/05/a-post-that-links-here/', 'comment_type' => 'pingback',
    'comment_agent' => 'WordPress/6.1; https://another-blog.example', 'comment_author_IP' => '198.51.100.7',
    'comment_content' => '[&#8230;] as explained in this post, comments come in many kinds [&#8230;]'], $t(660));
// two on other edge posts: the registered author comments elsewhere too, and one on the block post
$c['zoe_on_block'] = comment($block_id, ['comment_author' => $zu->display_name, 'comment_author_email' => $zu->user_email,
    'user_id' => $zoe, 'comment_content' => 'Nice gallery.'], date('Y-m-d H:i:s', strtotime(get_post($block_id)->post_date) + 3600));
$c['on_zoe_post'] = comment($ids['by_zoe'], ['comment_author' => 'Åsa Öberg', 'comment_author_email' => 'asa@example.se',
    'comment_content' => 'Which film stock?'], date('Y-m-d H:i:s', strtotime(get_post($ids['by_zoe'])->post_date) + 3600));
foreach ([$cp, $block_id, $ids['by_zoe']] as $id) wp_update_comment_count_now($id);
$ids['comment_ids'] = $c;

update_option(MARKER, $ids, false);
flush_rewrite_rules(false);
echo json_encode($ids, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE), "\n";
