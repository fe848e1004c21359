<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows a feed (RSS 2.0 or Atom) opened in a browser as a readable page that says what a feed
     is; feed readers ignore it. Every feed names it in an xml-stylesheet instruction. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="no"/>

<xsl:template match="/">
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Umpan berita: <xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></title>
<link rel="stylesheet" href="{{ url(urls.static('style.css')) }}"/>
</head>
<body>
<header class="site"><a class="brand" href="{{ url(urls.HOME) }}">{{ site.title }}</a></header>
<main id="isi">
<p class="banner review" role="note"><strong>Ini umpan berita (RSS/Atom)</strong>, alamat untuk aplikasi pembaca umpan. Untuk mengikutinya, salin alamat halaman ini dari bilah alamat peramban, lalu tempelkan di aplikasi Anda. <a href="{{ url(urls.SUBSCRIBE) }}">Cara berlangganan dan semua umpan</a></p>
<xsl:apply-templates select="rss/channel | atom:feed"/>
</main>
</body>
</html>
</xsl:template>

<xsl:template match="channel">
<h1><xsl:value-of select="title"/></h1>
<p><a href="{link}">Buka halamannya di situs</a></p>
<h2>Berita terbaru</h2>
<xsl:if test="not(item)"><p class="empty">Belum ada berita.</p></xsl:if>
<ol class="entries">
<xsl:for-each select="item">
<li><article>
<h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
<p class="meta"><xsl:call-template name="tanggal">
  <xsl:with-param name="day" select="substring(pubDate, 6, 2)"/>
  <xsl:with-param name="month" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1"/>
  <xsl:with-param name="year" select="substring(pubDate, 13, 4)"/>
</xsl:call-template><xsl:for-each select="category"> · <xsl:value-of select="."/></xsl:for-each></p>
<p><xsl:value-of select="description"/></p>
</article></li>
</xsl:for-each>
</ol>
</xsl:template>

<xsl:template match="atom:feed">
<h1><xsl:value-of select="atom:title"/></h1>
<p><a href="{atom:link[@rel='alternate']/@href}">Buka halamannya di situs</a></p>
<h2>Berita terbaru</h2>
<xsl:if test="not(atom:entry)"><p class="empty">Belum ada berita.</p></xsl:if>
<ol class="entries">
<xsl:for-each select="atom:entry">
<li><article>
<h3><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h3>
<p class="meta"><xsl:call-template name="tanggal">
  <xsl:with-param name="day" select="substring(atom:published, 9, 2)"/>
  <xsl:with-param name="month" select="number(substring(atom:published, 6, 2))"/>
  <xsl:with-param name="year" select="substring(atom:published, 1, 4)"/>
</xsl:call-template><xsl:for-each select="atom:category"> · <xsl:value-of select="@label"/></xsl:for-each></p>
<p><xsl:value-of select="atom:summary"/></p>
</article></li>
</xsl:for-each>
</ol>
</xsl:template>

<!-- "7 Desember 2024": the day an item was announced, in Indonesian. -->
<xsl:template name="tanggal">
<xsl:param name="day"/><xsl:param name="month"/><xsl:param name="year"/>
<xsl:value-of select="number($day)"/><xsl:text> </xsl:text>
<xsl:choose>
{% for name in months %}
<xsl:when test="$month = {{ loop.index }}">{{ name }}</xsl:when>
{% endfor %}
</xsl:choose>
<xsl:text> </xsl:text><xsl:value-of select="$year"/>
</xsl:template>
</xsl:stylesheet>
